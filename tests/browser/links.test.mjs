// Links to files whose names need percent-encoding, as Chromium follows them: over HTTP
// and from a shared drive (file://, an --offline build), each file link of a page opens
// the very file it names, and the image beside the page shows.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { guidebook, serve } from "./harness.mjs";

// Names Windows refuses or git tools mishandle: written into the copy of the fixture.
const CREATED = ["annual report #2.pdf", "what?.pdf", "100%.pdf", "a\\b.pdf"];

// The guide page's link texts and the file each names.
const NAMED = {
  "space": "report 2019.pdf",
  "space, encoded": "report 2019.pdf",
  "hash": "annual report #2.pdf",
  "hash, as named": "annual report #2.pdf",
  "question": "what?.pdf",
  "question, as named": "what?.pdf",
  "percent": "100%.pdf",
  "percent, as named": "100%.pdf",
  "backslash": "a\\b.pdf",
  "backslash, as named": "a\\b.pdf",
  "accents": "résumé.pdf",
  "accents, encoded": "résumé.pdf",
};

/** Every file link of the page open in `page`: [place ("content" or "static"), text, resolved href]. */
function fileLinks(page) {
  return page.$$eval(".content ul a", (links) =>
    links.map((a) => [
      a.closest("ul").previousElementSibling.textContent.includes("static") ? "static" : "content",
      a.textContent,
      a.href,
    ]),
  );
}

/** What the browser gets at `url` (XMLHttpRequest, which also reads file:// in this browser). */
function load(page, url) {
  return page.evaluate(
    (u) =>
      new Promise((done) => {
        const xhr = new XMLHttpRequest();
        xhr.open("GET", u);
        xhr.onload = () => done({ status: xhr.status, text: xhr.responseText });
        xhr.onerror = () => done({ status: -1, text: "" });
        xhr.send();
      }),
    url,
  );
}

async function checkPage(page, url) {
  await page.goto(url);
  const links = await fileLinks(page);
  assert.equal(links.length, 18);
  for (const [place, text, href] of links) {
    const { status, text: body } = await load(page, href);
    assert.ok(status === 200 || (status === 0 && href.startsWith("file:")), `${text}: ${href} gave ${status}`);
    assert.equal(body, `${place} ${NAMED[text]}\n`, `${text}: ${href}`);
  }
  const width = await page.$eval(".content img", (img) =>
    img.complete ? img.naturalWidth : new Promise((done) => (img.onload = img.onerror = () => done(img.naturalWidth))),
  );
  assert.equal(width, 10, "the image beside the page shows");
}

describe("links to files with awkward names", () => {
  let dir;
  let server;
  let browser;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "guidebook-links-"));
    cpSync(resolve(import.meta.dirname, "..", "fixtures", "links"), dir, { recursive: true });
    for (const name of CREATED) {
      writeFileSync(join(dir, "content", "docs", name), `content ${name}\n`);
      writeFileSync(join(dir, "static", "files", name), `static ${name}\n`);
    }
    guidebook(dir, ["build"]);
    guidebook(dir, ["build", "--offline", "--out", "offline"]);
    server = await serve(join(dir, "public"));
    // Lets a page opened from file:// read other local files, as a reader's click would.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--allow-file-access-from-files"],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("over HTTP, every file link opens the file it names", async () => {
    const page = await browser.newPage();
    await checkPage(page, `${server.url}en/docs/guide/`);
    await page.close();
  });

  test("from a shared drive (file://), every file link opens the file it names", async () => {
    const page = await browser.newPage();
    await checkPage(page, pathToFileURL(join(dir, "offline", "en", "docs", "guide", "index.html")).href);
    await page.close();
  });

  test("a link to a non-ASCII heading of another page scrolls to it", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}en/docs/other/`);
    await page.getByRole("link", { name: "the guide’s results" }).click();
    await page.waitForURL(/\/en\/docs\/guide\/#r%C3%A9sultats$/);
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), "résultats");
    await page.close();
  });
});
