// Browse pages: facet filters combine in place with JavaScript, and stay plain links
// without it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { servedFixture } from "./harness.mjs";

describe("browse pages", () => {
  const fixture = servedFixture("knowledge");

  const visibleTitles = (page) => page.locator(".cards > .card:not([hidden]) h2").allTextContents();

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
});
