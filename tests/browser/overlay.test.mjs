// `guidebook serve`'s error overlay in a real browser: opaque, named files relative to the
// site even when the site is given by an absolute path, focus moved into it, closed by
// Escape and by its button.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, startServe } from "./harness.mjs";

const repo = resolve(import.meta.dirname, "..", "..");

describe("serve's error overlay", () => {
  let dir, server, url, browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "guidebook-overlay-"));
    cpSync(join(repo, "tests", "fixtures", "knowledge"), dir, { recursive: true });
    const started = startServe(["--root", dir, "--bind", "127.0.0.1:0"]);
    server = started.server;
    url = await started.url;
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("opaque, relative file names, focus inside, Escape and Close dismiss it", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}en/organisations/face/`);
    await page.waitForTimeout(300);
    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: organisations/nowhere\n---\n\nBroken.\n");
    const overlay = page.getByRole("alertdialog");
    await overlay.waitFor({ timeout: 15000 });
    const text = await overlay.textContent();
    assert.match(text, /content\/organisations\/face\.en\.md:3:9/);
    assert.ok(!text.includes(dir), `no absolute path: ${text}`);
    const background = await overlay.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(background, "rgb(20, 24, 28)", "opaque");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Close");
    assert.equal(await page.evaluate(() => document.querySelector("[role=alertdialog]").contains(document.activeElement)), true);
    await page.keyboard.press("Escape");
    assert.equal(await page.getByRole("alertdialog").count(), 0);
    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: organisations/elsewhere\n---\n\nBroken again.\n");
    await overlay.waitFor({ timeout: 15000 });
    await page.getByRole("button", { name: "Close" }).click();
    assert.equal(await page.getByRole("alertdialog").count(), 0);
    await page.close();
  });

  test("Escape closes it wherever focus is, and focus returns where it was", async () => {
    const page = await browser.newPage();
    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\n---\n\nFixed.\n");
    await page.goto(`${url}en/organisations/face/`);
    await page.waitForTimeout(1500);
    await page.goto(`${url}en/organisations/face/`);
    await page.waitForTimeout(300);
    const link = page.getByRole("main").getByRole("link").first();
    await link.focus();
    const name = await link.textContent();
    const focused = () => page.evaluate(() => document.activeElement.textContent);

    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: organisations/void\n---\n\nBroken.\n");
    const overlay = page.getByRole("alertdialog");
    await overlay.waitFor({ timeout: 15000 });
    await overlay.getByText(/face\.en\.md/).click();
    assert.equal(await page.evaluate(() => document.querySelector("[role=alertdialog]").contains(document.activeElement)), true, "a click on the text keeps focus in the dialog");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "Close", "Tab stays in the dialog");
    await page.keyboard.press("Escape");
    assert.equal(await overlay.count(), 0);
    assert.equal(await focused(), name, "focus is back on the link");

    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: organisations/gone\n---\n\nBroken.\n");
    await overlay.waitFor({ timeout: 15000 });
    await page.evaluate(() => document.activeElement.blur());
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
    await page.keyboard.press("Escape");
    assert.equal(await overlay.count(), 0, "Escape works with focus on <body>");
    await page.close();
  });
});
