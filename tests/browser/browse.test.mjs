// Browse pages: facet filters combine in place with JavaScript, and stay plain links
// without it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { buildFixture, launch, servedFixture } from "./harness.mjs";

describe("browse pages", () => {
  const fixture = servedFixture("knowledge");

  const visibleTitles = (page) => page.locator(".cards > .card:not([hidden]) h2").allTextContents();

  test("the status line is in the page's language, from the build's text for scripts", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}fr/pilots/?country=spain`);
    assert.deepEqual(await visibleTitles(page), ["Málaga"]);
    assert.equal(await page.getByRole("main").getByRole("status").textContent(), "Pages affichées\u00a0: 1 sur 3");
    await page.close();
  });

  test("filters of different facets narrow the list, values of one facet widen it", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/pilots/`);
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles", "Málaga"]);

    await page.getByRole("button", { name: /^France/ }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles"]);
    assert.equal(await page.getByRole("main").getByRole("status").textContent(), "2 of 3 pages shown");

    await page.getByRole("button", { name: /^risk assessment/ }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon"]);
    assert.equal(await page.getByRole("button", { name: /^risk assessment/ }).getAttribute("aria-pressed"), "true");

    await page.getByRole("button", { name: /^exit work/ }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon"], "exit work or risk assessment, in France");

    await page.getByRole("button", { name: /^France/ }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Málaga"]);

    await page.getByRole("link", { name: "All pages" }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles", "Málaga"]);
    assert.equal(await page.getByRole("main").getByRole("status").textContent(), "");
    await page.close();
  });

  test("counts follow the other facets' choices", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/pilots/`);
    await page.getByRole("button", { name: /^Spain/ }).click();
    const training = page.getByRole("button", { name: /^training/ });
    assert.equal(await training.locator(".count").textContent(), "0");
    await page.close();
  });

  test("without JavaScript each value is a page of its own", async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}en/pilots/`);
    await page.getByRole("link", { name: "France" }).click();
    assert.equal(page.url(), `${fixture.server.url}en/pilots/country/france/`);
    assert.deepEqual(await page.locator(".cards > .card h2").allTextContents(), ["Avignon", "Sarcelles"]);
    await context.close();
  });

  test("on a facet value page the values lead to the section page, filtered", async () => {
    const page = await fixture.browser.newPage();
    const france = `${fixture.server.url}en/pilots/country/france/`;
    await page.goto(france);
    assert.equal(page.url(), france, "the address is left alone");
    assert.deepEqual(await page.locator(".cards > .card h2").allTextContents(), ["Avignon", "Sarcelles"]);
    assert.equal(await page.getByRole("button").filter({ hasText: "Spain" }).count(), 0, "no in-place toggle");
    const spain = page.getByRole("link", { name: "Spain" });
    assert.equal(await spain.getAttribute("href"), "../../?country=spain");
    assert.equal(await page.locator(".facet .count").allTextContents().then((c) => c.join(" ")), "2 1 2 1 1", "the section's counts");

    await spain.click();
    await page.waitForURL(`${fixture.server.url}en/pilots/?country=spain`);
    assert.deepEqual(await visibleTitles(page), ["Málaga"]);
    assert.equal(await page.getByRole("button", { name: /^Spain/ }).getAttribute("aria-pressed"), "true");
    assert.equal(await page.getByRole("button", { name: /^Spain/ }).locator(".count").textContent(), "1");
    assert.equal(await page.getByRole("main").getByRole("status").textContent(), "1 of 3 pages shown");

    await page.goBack();
    assert.equal(page.url(), france);
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles"]);
    await page.goForward();
    assert.equal(page.url(), `${fixture.server.url}en/pilots/?country=spain`);
    assert.deepEqual(await visibleTitles(page), ["Málaga"]);

    // A value of another facet keeps this page's own value: France and that theme.
    await page.goto(france);
    const theme = page.locator('section.facet[data-facet="themes"] a[data-value]').first();
    const term = (await theme.getAttribute("data-value")).split(":")[1];
    assert.equal(await theme.getAttribute("href"), `../../?country=france&themes=${encodeURIComponent(term)}`);
    await theme.click();
    await page.waitForURL(`${fixture.server.url}en/pilots/?country=france&themes=${encodeURIComponent(term)}`);
    const both = await visibleTitles(page);
    assert.ok(both.length > 0 && both.every((t) => ["Avignon", "Sarcelles"].includes(t)), both.join(", "));
    assert.equal(await page.getByRole("button", { name: /^France/ }).getAttribute("aria-pressed"), "true");

    await page.goto(france);
    await page.getByRole("link", { name: "France" }).click();
    await page.waitForURL(`${fixture.server.url}en/pilots/?country=france`);
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles"]);
    await page.getByRole("button", { name: /^France/ }).click();
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles", "Málaga"], "un-pressing shows the whole section");
    await page.close();
  });
});

describe("a facet value page built --offline, opened from file://", () => {
  let site, browser;
  test("its values lead to the section's index.html, filtered", async () => {
    site = buildFixture("knowledge", ["--offline"]);
    browser = await launch();
    const page = await browser.newPage();
    const base = pathToFileURL(site.out).href;
    await page.goto(`${base}/en/pilots/country/france/index.html`);
    const spain = page.getByRole("link", { name: "Spain" });
    assert.equal(await spain.getAttribute("href"), "../../index.html?country=spain");
    await spain.click();
    await page.waitForURL(`${base}/en/pilots/index.html?country=spain`);
    assert.deepEqual(await page.locator(".cards > .card:not([hidden]) h2").allTextContents(), ["Málaga"]);
    await browser.close();
    site.remove();
  });
});
