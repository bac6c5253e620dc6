// Search over a paged index (the shipped guidebook's, too large to travel whole): the
// browser fetches the entry file, then only the pages a query reads, and keeps them for
// later queries; it ranks as the command line does, shows ten results at a time, and
// works from file:// (an --offline build) where pages load as scripts. A page left open
// while the site is rebuilt keeps working: its engine is loaded again with the new entry.
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
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

/** A word no page of the shipped guidebook holds; the rebuilt copy adds it to one page. */
const NEW_WORD = "zyxquokka";

/** Copies what a build of the shipped guidebook reads into `dir`, with NEW_WORD added to
 *  one English page, so that the English index (and its folder of pages) changes. */
function editedCopy(dir) {
  mkdirSync(dir);
  for (const name of ["site.yaml", "content", "themes", "i18n"]) cpSync(join(repo, name), join(dir, name), { recursive: true });
  appendFileSync(join(dir, "content", "integra.en.md"), `\nThe ${NEW_WORD} protocol was discussed but never adopted.\n`);
}

/** Replaces the contents of `dir` by those of `from`, in place (as a deployment does): what
 *  only the old build had, such as its folder of index pages, is gone. */
function redeploy(dir, from) {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  cpSync(from, dir, { recursive: true });
}

/** Records what `page` reports as wrong: console errors (with the address they name) and
 *  script errors. */
function problemsOf(page) {
  const problems = [];
  page.on("console", (msg) => msg.type() === "error" && problems.push({ text: msg.text(), url: msg.location().url }));
  page.on("pageerror", (e) => problems.push({ text: `script error: ${e.message}`, url: "" }));
  return problems;
}

/** Asks `query` from the box of the results page, as a reader does, and waits for the answer. */
async function askAgain(page, query) {
  const status = page.locator(".search-page [role=status]");
  await page.locator(".search-page input[name=q]").fill(query);
  await page.locator(".search-page input[name=q]").press("Enter");
  // The form's submit handler says "Searching…" at once, so the previous answer is gone.
  await page.waitForFunction(() => {
    const text = document.querySelector(".search-page [role=status]").textContent;
    return text !== "" && text !== "Searching…";
  });
  return status.textContent();
}

describe("paged search", () => {
  let work, out, offline, copy, server, browser;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "guidebook-paged-"));
    out = join(work, "online");
    offline = join(work, "offline");
    guidebook(repo, ["build", "--out", out]);
    guidebook(repo, ["build", "--offline", "--out", offline]);
    // The same guidebook with one English page edited: COPY/public, COPY/offline.
    copy = join(work, "copy");
    editedCopy(copy);
    guidebook(copy, ["build"], { quiet: true });
    guidebook(copy, ["build", "--offline", "--out", join(copy, "offline")], { quiet: true });
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

  // A deployment replaces the served folder while a reader has the results page open: the
  // entry the page loaded names a folder of pages that is gone. The next query that needs a
  // page not fetched yet (the new word's) fails to get it; search.js then loads the engine
  // again with the new entry and asks once more, and the reader sees the rebuilt site's answer.
  test("a page left open while the site is rebuilt loads the new entry and asks again", async () => {
    const live = join(work, "live");
    cpSync(out, live, { recursive: true });
    const liveServer = await serve(live);
    try {
      const page = await browser.newPage();
      const problems = problemsOf(page);
      const events = [];
      page.on("response", (r) => {
        const path = new URL(r.url()).pathname.slice(1);
        if (path.startsWith("search/")) events.push({ path, status: r.status() === 200 ? "ok" : String(r.status()) });
      });
      await page.goto(`${liveServer.url}en/search/?q=probation`);
      await page.waitForSelector(".search-results li");
      const rebuilt = { root: copy, out: join(copy, "public") };
      await assertReloaded(page, live, rebuilt, events, problems, { base: liveServer.url, ext: "bin", missing: "404" });
      await page.close();
    } finally {
      await liveServer.close();
    }
  });

  // The same from file://: a page of the index is a script there, and a script that is not
  // there fails to load as a page that is not there fails to fetch.
  test("from file://, a page left open while the site is rebuilt loads the new entry too", async () => {
    const live = join(work, "live-offline");
    cpSync(offline, live, { recursive: true });
    const page = await browser.newPage();
    const problems = problemsOf(page);
    const events = [];
    const base = pathToFileURL(live).href + "/";
    const record = (status) => (r) => r.url().startsWith(`${base}search/`) && events.push({ path: r.url().slice(base.length), status });
    page.on("requestfinished", record("ok"));
    page.on("requestfailed", record("failed"));
    await page.goto(pathToFileURL(join(live, "en", "search", "index.html")).href + "?q=probation");
    await page.waitForSelector(".search-results li", { timeout: 15000 });
    const rebuilt = { root: copy, out: join(copy, "offline") };
    await assertReloaded(page, live, rebuilt, events, problems, { base, ext: "js", missing: "failed" });
    await page.close();
  });
});

/**
 * Replaces the site in `live` (shown in `page`, which has run a query; `base` is its address)
 * by the one built from `rebuilt.root` into `rebuilt.out`, asks for NEW_WORD from the page
 * and checks what happened: the results and their count are the command line's on the
 * rebuilt site (so no error is shown); only pages of the old folder were missing (`events`,
 * in order, hold `{ path, status }`, `status` "ok" or `missing`); after the first miss the
 * entry was loaded again and pages of the new folder read; the only errors in `problems`
 * are the browser's notes of those misses.
 */
async function assertReloaded(page, live, rebuilt, events, problems, { base, ext, missing }) {
  const old = pagesOf(live).folder;
  assert.ok(events.some((e) => e.path.startsWith(`search/en/${old}/`) && e.status === "ok"), "the first query read pages");
  redeploy(live, rebuilt.out);
  const fresh = pagesOf(live).folder;
  assert.notEqual(fresh, old, "the rebuild changed the English index");
  const seen = events.length;
  const status = await askAgain(page, NEW_WORD);
  const cli = JSON.parse(guidebook(rebuilt.root, ["search", "--json", "--root", rebuilt.root, "--limit", "10", NEW_WORD]));
  assert.ok(cli.total >= 1, "the rebuilt site finds the new word");
  assert.equal(status, cli.total === 1 ? "1 result" : `${cli.total} results`);
  const hrefs = await page.locator(".search-results a").evaluateAll((links) => links.map((a) => a.href));
  // From file://, links name the index.html of their folder.
  const suffix = ext === "js" ? "index.html" : "";
  const expected = cli.hits.map((h) => {
    const anchor = h.heading ? `#${encodeURIComponent(h.heading.anchor)}` : "";
    return new URL(`en/${h.url}${suffix}${anchor}`, base).href;
  });
  assert.deepEqual(hrefs, expected);
  const since = events.slice(seen);
  const misses = since.filter((e) => e.status !== "ok");
  assert.ok(misses.length >= 1, "a page of the old folder was asked for");
  for (const e of misses) {
    assert.equal(e.status, missing);
    assert.match(e.path, new RegExp(`^search/en/${old}/\\d+\\.${ext}$`));
  }
  const entry = since.findIndex((e) => e.path === `search/en/index.${ext}` && e.status === "ok");
  assert.ok(entry > since.indexOf(misses[0]), "the entry was loaded again after the miss");
  assert.ok(since.slice(entry).some((e) => e.path.startsWith(`search/en/${fresh}/`) && e.status === "ok"), "pages of the new folder were read");
  const unexpected = problems.filter((p) => !misses.some((e) => p.url.endsWith(e.path) && p.text.startsWith("Failed to load resource")));
  assert.deepEqual(unexpected, []);
}
