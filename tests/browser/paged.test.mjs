// Search over a paged index (the shipped guidebook's, too large to travel whole): the
// browser fetches the entry file, then only the pages a query reads, and keeps them for
// later queries; it ranks as the command line does, shows ten results at a time, and
// works from file:// (an --offline build) where pages load as scripts.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { guidebook, launch, serve } from "./harness.mjs";

const repo = resolve(import.meta.dirname, "..", "..");

/** The folder of the English index's pages, and how many pages it holds. */
function pagesOf(out) {
  const dir = join(out, "search", "en");
  const folder = readdirSync(dir).find((name) => /^[0-9a-f]{16}$/.test(name));
  assert.ok(folder, "the shipped guidebook's English index is paged");
  return { folder, count: readdirSync(join(dir, folder)).filter((n) => n.endsWith(".bin")).length };
}

describe("paged search", () => {
  let work, out, offline, server, browser;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "guidebook-paged-"));
    out = join(work, "online");
    offline = join(work, "offline");
    guidebook(repo, ["build", "--out", out]);
    guidebook(repo, ["build", "--offline", "--out", offline]);
    server = await serve(out);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("a query fetches the entry and a few pages; asking again fetches nothing", async () => {
    const { folder, count } = pagesOf(out);
    const page = await browser.newPage();
    const fetched = [];
    page.on("requestfinished", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/search/")) fetched.push(path);
    });
    await page.goto(`${server.url}en/search/?q=probation`);
    await page.waitForSelector(".search-results li");
    assert.ok(fetched.includes("/search/engine.bin"));
    assert.ok(fetched.includes("/search/en/index.bin"));
    const pages = fetched.filter((p) => p.startsWith(`/search/en/${folder}/`));
    assert.ok(pages.length > 0, "the query needed pages beyond the entry");
    assert.ok(pages.length * 3 < count, `${pages.length} of ${count} pages fetched`);
    assert.equal(new Set(pages).size, pages.length, "no page is fetched twice");
    // The same query again, from the box on the page: everything it reads is present.
    const before = fetched.length;
    const answer = await page.evaluate(() => window.guidebookSearch.query({ q: "probation ", limit: 10 }));
    assert.ok(answer.hits.length > 0);
    assert.equal(fetched.length, before);
    await page.close();
  });

  test("the browser ranks as the command line does, ten results at a time", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}en/search/?q=prison%20release`);
    await page.waitForSelector(".search-results li");
    const urls = async () =>
      page.locator(".search-results a").evaluateAll((links) => links.map((a) => new URL(a.href).pathname.replace(/#.*$/, "")));
    const cli = (limit) =>
      JSON.parse(guidebook(repo, ["search", "--json", "--out", out, "--limit", String(limit), "prison release"])).hits.map(
        (h) => new URL(`en/${h.url}`, server.url).pathname,
      );
    assert.deepEqual(await urls(), cli(10));
    // The live region says how many of the results are shown, and says it again after
    // "More results", for readers who cannot see the list grow.
    const total = JSON.parse(guidebook(repo, ["search", "--json", "--out", out, "--limit", "1", "prison release"])).total;
    assert.ok(total > 20, `${total} results`);
    const status = page.locator(".search-page [role=status]");
    assert.equal(await status.getAttribute("aria-live"), "polite");
    assert.equal(await status.textContent(), `Showing 10 of ${total} results`);
    const more = page.getByRole("button", { name: "More results" });
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length > 10);
    assert.deepEqual(await urls(), cli(20));
    assert.equal(await status.textContent(), `Showing 20 of ${total} results`);
    // Focus moves to the first result added, not back to the top.
    assert.equal(await page.evaluate(() => document.activeElement.closest("li") === document.querySelectorAll(".search-results li")[10]), true);
    await page.close();
  });

  test("from file://, pages of the index load as scripts", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(offline, "en", "search", "index.html")).href + "?q=probation");
    await page.waitForSelector(".search-results li", { timeout: 15000 });
    assert.ok((await page.locator(".search-results li").count()) >= 1);
    const scripts = await page.evaluate(() =>
      Array.from(document.querySelectorAll("script[src]")).filter((s) => /\/search\/en\/[0-9a-f]{16}\/\d+\.js$/.test(s.src)).length,
    );
    assert.ok(scripts > 0, "pages were loaded as scripts");
    await page.close();
  });
});
