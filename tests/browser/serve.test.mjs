// `guidebook serve` in a real browser: a broken save shows the problems over the page,
// the fix reloads it.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, startServe } from "./harness.mjs";

const repo = resolve(import.meta.dirname, "..", "..");

describe("serve", () => {
  let dir, server, url, browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "guidebook-serve-"));
    cpSync(join(repo, "tests", "fixtures", "knowledge"), dir, { recursive: true });
    const started = startServe(["--bind", "127.0.0.1:0"], dir);
    server = started.server;
    url = await started.url;
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const face = (body) => `---\ntitle: FACE\nparent: organisations/network\n---\n\n${body}\n`;

  test("a broken save shows an overlay with file and line; the fix reloads the page", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}en/organisations/face/`);
    await page.waitForTimeout(300);
    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: organisations/nowhere\n---\n\nBroken.\n");
    const overlay = page.getByRole("alertdialog");
    await overlay.waitFor({ timeout: 15000 });
    const text = await overlay.textContent();
    assert.match(text, /content\/organisations\/face\.en\.md:3:9/);
    assert.match(text, /`organisations\/nowhere` does not exist/);
    assert.match(await page.locator("main").textContent(), /A French foundation\./, "the last good page stays under the overlay");
    writeFileSync(join(dir, "content/organisations/face.en.md"), face("Fixed and reloaded."));
    await page.waitForFunction(() => document.body.textContent.includes("Fixed and reloaded."), null, { timeout: 15000 });
    assert.equal(await page.getByRole("alertdialog").count(), 0);
    await page.close();
  });

  test("a text edit reloads the pages that show it, the print page too, and no other", async () => {
    const open = async (path) => {
      const page = await browser.newPage();
      await page.goto(`${url}${path}`);
      // Listening for changes before the file is saved.
      await page.waitForSelector("html[data-live]", { state: "attached", timeout: 15000 });
      // Gone if the page reloads.
      await page.evaluate(() => { window.stayed = true; });
      return page;
    };
    const [pilot, print, other] = await Promise.all(["en/pilots/avignon/", "en/print/", "en/countries/spain/"].map(open));
    const file = join(dir, "content/pilots/avignon.en.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("is never linked.", "is never linked, nor is Quillwort."));
    for (const page of [pilot, print]) {
      await page.waitForFunction(() => document.body.textContent.includes("Quillwort"), null, { timeout: 15000 });
    }
    await other.waitForTimeout(1000);
    assert.equal(await other.evaluate(() => window.stayed), true, "a page that does not show the text is not reloaded");
    await Promise.all([pilot, print, other].map((p) => p.close()));
  });

  test("eight pages open in one window all load, and the one a save rewrites reloads", async () => {
    // A browser opens at most six connections to a server: the pages share one event stream.
    const context = await browser.newContext();
    const paths = ["en/", "fr/", "en/pilots/", "fr/pilots/", "en/countries/", "en/countries/spain/", "en/organisations/", "en/pilots/sarcelles/"];
    const pages = [];
    for (const path of paths) {
      const page = await context.newPage();
      await page.goto(`${url}${path}`, { timeout: 10000 });
      pages.push(page);
    }
    const last = pages[pages.length - 1];
    await last.waitForSelector("html[data-live]", { state: "attached", timeout: 15000 });
    const file = join(dir, "content/pilots/sarcelles.en.md");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n---\n\n/, "\n---\n\nSaxifrage grows here.\n\n"));
    await last.waitForFunction(() => document.body.textContent.includes("Saxifrage"), null, { timeout: 15000 });
    await context.close();
  });

  test("open pages reload when serve is started again, for the site may have changed meanwhile", async () => {
    const other = mkdtempSync(join(tmpdir(), "guidebook-restart-"));
    cpSync(join(repo, "tests", "fixtures", "knowledge"), other, { recursive: true });
    // The same address again: a free one, taken from a first server on port 0.
    const first = startServe(["--bind", "127.0.0.1:0"], other);
    const address = await first.url;
    const page = await browser.newPage();
    await page.goto(`${address}en/pilots/sarcelles/`);
    await page.waitForSelector("html[data-live]", { state: "attached", timeout: 15000 });
    const stopped = new Promise((ok) => first.server.on("exit", ok));
    first.server.kill("SIGINT");
    await stopped;
    const file = join(other, "content/pilots/sarcelles.en.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("A citizenship week.", "A citizenship week, and Hellebore."));
    const second = startServe(["--bind", `127.0.0.1:${new URL(address).port}`], other);
    await second.url;
    try {
      await page.waitForFunction(() => document.body.textContent.includes("Hellebore"), null, { timeout: 20000 });
    } finally {
      second.server.kill("SIGINT");
      await page.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("a page opened while the site is broken shows the overlay at once", async () => {
    writeFileSync(join(dir, "content/organisations/face.en.md"), "---\ntitle: FACE\nparent: [\n---\n");
    const page = await browser.newPage();
    await page.waitForTimeout(1500);
    await page.goto(`${url}en/`);
    await page.getByRole("alertdialog").waitFor({ timeout: 15000 });
    writeFileSync(join(dir, "content/organisations/face.en.md"), face("Good again."));
    await page.waitForFunction(() => !document.querySelector("[role=alertdialog]"), null, { timeout: 15000 });
    await page.close();
  });
});
