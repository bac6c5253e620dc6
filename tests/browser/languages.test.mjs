// The language chooser, the language switcher and fallback pages, in a real browser.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildFixture, launch, serve } from "./harness.mjs";

describe("languages", () => {
  let site, server, browser;

  before(async () => {
    site = buildFixture("multilingual");
    server = await serve(site.out);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    site?.remove();
  });

  test("the chooser goes straight to the reader's preferred language", async () => {
    const context = await browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForURL(`${server.url}fr/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.textContent("h1"), "Guide des pratiques");
    await context.close();
  });

  test("the chooser matches a regional preference to its language", async () => {
    const context = await browser.newContext({ locale: "el-GR" });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForURL(`${server.url}el/`);
    await context.close();
  });

  test("without a matching preference the chooser lists every language", async () => {
    const context = await browser.newContext({ locale: "ja-JP" });
    const page = await context.newPage();
    await page.goto(server.url);
    assert.equal(page.url(), server.url);
    const names = await page.locator("main a[hreflang]").allTextContents();
    assert.deepEqual(names, ["English", "Français", "Ελληνικά"]);
    await context.close();
  });

  test("without JavaScript the chooser is a plain list of links", async () => {
    const context = await browser.newContext({ locale: "fr-FR", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    assert.equal(page.url(), server.url);
    await page.click("a[hreflang=el]");
    assert.equal(page.url(), `${server.url}el/`);
    await context.close();
  });

  test("the switcher leads to the same page in another language", async () => {
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(`${server.url}en/pilots/avignon/`);
    const current = page.locator("nav.languages a[aria-current=page]");
    assert.equal(await current.textContent(), "English");
    await page.getByRole("navigation", { name: "Languages" }).getByRole("link", { name: "Français" }).click();
    await page.waitForURL(`${server.url}fr/pilots/avignon/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.textContent("h1"), "Avignon : groupes de travail");
    await context.close();
  });

  test("a fallback page announces itself and keeps the original's language", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}fr/pilots/sarcelles/`);
    const notice = page.getByRole("note");
    assert.match(await notice.textContent(), /pas encore été traduite/);
    assert.equal(await page.getAttribute("h1", "lang"), "en");
    // Navigation stays in French: the next page is the French one.
    await page.click("a[rel=next]");
    await page.waitForURL(`${server.url}fr/pilots/orphan/`);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    await context.close();
  });
});
