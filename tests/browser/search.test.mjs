// Search in the reader's browser: the combobox on every page, the results page, over
// HTTP and from file:// (an --offline build), with the same ranking as the CLI.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { buildFixture, guidebook, servedFixture } from "./harness.mjs";

async function typeAndWait(page, text) {
  const box = page.getByRole("combobox");
  await box.click();
  await box.pressSequentially(text, { delay: 20 });
  await page.waitForSelector("#gb-search-list [role=option]");
  return box;
}

describe("search", () => {
  const fixture = servedFixture("knowledge");
  let offline;
  before(() => {
    offline = buildFixture("knowledge", ["--offline"]);
  });
  after(() => offline?.remove());

  test("typing shows results with highlighted snippets; Enter opens the chosen one", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/pilots/avignon/`);
    const box = await typeAndWait(page, "malaga");
    assert.equal(await box.getAttribute("aria-expanded"), "true");
    const first = page.getByRole("option").first();
    assert.match(await first.locator(".title").textContent(), /Málaga/);
    assert.equal(await page.getByRole("status").first().textContent(), "2 results");
    await box.press("ArrowDown");
    assert.equal(await first.getAttribute("aria-selected"), "true");
    assert.equal(await box.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
    await box.press("Enter");
    await page.waitForURL(/\/en\/pilots\/malaga\//);
    await page.close();
  });

  test("the list of results stays on the screen at every width, and the page never scrolls sideways", async () => {
    const page = await fixture.browser.newPage();
    for (const width of [320, 640, 800, 1024, 1280, 1600]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${fixture.server.url}en/pilots/avignon/`);
      await typeAndWait(page, "training");
      const { left, right, scroll } = await page.evaluate(() => {
        const box = document.querySelector("#gb-search-list").getBoundingClientRect();
        return { left: box.left, right: box.right, scroll: document.documentElement.scrollWidth };
      });
      assert.ok(left >= 0 && right <= width, `at ${width} px the list spans ${left}–${right} px`);
      assert.ok(scroll <= width, `at ${width} px the page is ${scroll} px wide`);
    }
    await page.close();
  });

  test("Escape closes the list; results are rendered as text, never as HTML", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/`);
    const box = await typeAndWait(page, "deradicalisation");
    assert.ok((await page.locator("#gb-search-list mark").count()) > 0, "matches are marked");
    await box.press("Escape");
    assert.equal(await box.getAttribute("aria-expanded"), "false");
    assert.equal(await page.locator("#gb-search-list").isHidden(), true);
    await box.fill("<img src=x onerror=alert(1)>");
    await page.waitForTimeout(300);
    assert.equal(await page.locator("#gb-search-list img").count(), 0);
    await page.close();
  });

  test("the results page filters by kind", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/search/?q=training`);
    await page.waitForSelector(".search-results li");
    const titles = () => page.locator(".search-results .title").allTextContents();
    assert.ok((await titles()).length >= 2);
    await page.getByRole("checkbox", { name: /^Pilot \(/ }).check();
    // The three pilots tagged `training` (found by their facts), ranked as the CLI ranks them.
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 3);
    assert.deepEqual(await titles(), ["Avignon", "Sarcelles", "Málaga"]);
    await page.close();
  });

  test("from a shared drive (file://), with no server, search still works", async () => {
    const page = await fixture.browser.newPage();
    const start = pathToFileURL(join(offline.out, "en", "pilots", "avignon", "index.html")).href;
    await page.goto(start);
    const box = await typeAndWait(page, "malaga");
    await box.press("ArrowDown");
    await box.press("Enter");
    await page.waitForURL(/\/en\/pilots\/malaga\/index\.html/);
    assert.ok(page.url().startsWith("file://"));
    await page.close();
  });

  test("from file://, Enter in the search box opens the results page", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(pathToFileURL(join(offline.out, "en", "pilots", "avignon", "index.html")).href);
    const box = page.getByRole("combobox");
    await box.fill("malaga");
    await box.press("Enter");
    await page.waitForURL(/\/en\/search\/index\.html\?q=malaga$/);
    await page.waitForSelector(".search-results li");
    assert.match(await page.locator(".search-results .title").first().textContent(), /Málaga/);
    await page.close();
  });

  test("one result is said in the singular, by each language's plural rules", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/search/?q=catalonia`);
    await page.waitForSelector(".search-results li");
    assert.equal(await page.locator(".search-page [role=status]").textContent(), "1 result");
    await page.goto(`${fixture.server.url}en/pilots/avignon/`);
    await typeAndWait(page, "catalonia");
    assert.equal(await page.locator("form.search-box [role=status]").textContent(), "1 result");
    await page.goto(`${fixture.server.url}fr/search/?q=${encodeURIComponent("évaluation")}`);
    await page.waitForSelector(".search-results li");
    assert.equal(await page.locator(".search-page [role=status]").textContent(), "1 résultat");
    // All results shown: the count alone, in the plural.
    await page.goto(`${fixture.server.url}en/search/?q=training`);
    await page.waitForSelector(".search-results li");
    assert.equal(await page.locator(".search-page [role=status]").textContent(), "4 results");
    await page.close();
  });

  test("the browser ranks pages as the command line does", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}fr/search/?q=formation`);
    await page.waitForSelector(".search-results li");
    const browserUrls = await page.locator(".search-results a").evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
    const cli = JSON.parse(guidebook(fixture.site.root, ["search", "--json", "--lang", "fr", "--limit", "50", "formation"]));
    const cliUrls = cli.hits.map((h) => new URL(`fr/${h.url}`, fixture.server.url).pathname + (h.heading ? "" : ""));
    assert.deepEqual(browserUrls.map((u) => u.replace(/#.*$/, "")), cliUrls);
    assert.ok(cliUrls.length >= 1);
    await page.close();
  });
});
