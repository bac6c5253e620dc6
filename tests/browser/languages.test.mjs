// The language chooser, the language switcher and fallback pages, in a real browser.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { servedFixture } from "./harness.mjs";

describe("languages", () => {
  const fixture = servedFixture("multilingual");

  test("the chooser goes straight to the reader's preferred language", async () => {
    const context = await fixture.browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    await page.waitForURL(`${fixture.server.url}fr/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.textContent("h1"), "Guide des pratiques");
    await context.close();
  });

  test("the chooser matches a regional preference to its language", async () => {
    const context = await fixture.browser.newContext({ locale: "el-GR" });
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    await page.waitForURL(`${fixture.server.url}el/`);
    await context.close();
  });

  test("without a matching preference the chooser lists every language", async () => {
    const context = await fixture.browser.newContext({ locale: "ja-JP" });
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    assert.equal(page.url(), fixture.server.url);
    const names = await page.locator("main a[hreflang]").allTextContents();
    assert.deepEqual(names, ["English", "Français", "Ελληνικά"]);
    await context.close();
  });

  test("without JavaScript the chooser is a plain list of links", async () => {
    const context = await fixture.browser.newContext({ locale: "fr-FR", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fixture.server.url);
    assert.equal(page.url(), fixture.server.url);
    await page.click("a[hreflang=el]");
    assert.equal(page.url(), `${fixture.server.url}el/`);
    await context.close();
  });

  test("the switcher leads to the same page in another language", async () => {
    const context = await fixture.browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}en/pilots/avignon/`);
    const current = page.locator("nav.languages a[aria-current=page]");
    assert.equal(await current.textContent(), "English");
    await page.getByRole("navigation", { name: "Languages" }).getByRole("link", { name: "Français" }).click();
    await page.waitForURL(`${fixture.server.url}fr/pilots/avignon/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.textContent("h1"), "Avignon : groupes de travail");
    await context.close();
  });

  test("a fallback page announces itself and keeps the original's language", async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}fr/pilots/sarcelles/`);
    const notice = page.getByRole("note");
    assert.match(await notice.textContent(), /pas encore été traduite/);
    assert.equal(await page.getAttribute("h1", "lang"), "en");
    // Navigation stays in French: the next page is the French one.
    await page.click("a[rel=next]");
    await page.waitForURL(`${fixture.server.url}fr/pilots/orphan/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    await context.close();
  });
});
