// Hosting anywhere: the shipped guidebook served by a real nginx, configured with the
// README's block as written, under a sub-path (/guide/) with the strict Content-Security-Policy
// as a response header, and an --offline build opened from file://. A crawl of every page of
// one language, every language's home, statement, search and 404 pages, and the results page
// reached by pressing Enter in the header's search box finds no broken link, no failed
// request, no console error, no CSP violation and no request to another host. The 404 page,
// shown at a missing address deep under the sub-path, is styled and its links stay inside
// the site.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { launch } from "./harness.mjs";
import { startNginx } from "./nginx.mjs";

const repo = resolve(import.meta.dirname, "..", "..");
const binary = process.env.GUIDEBOOK_BIN ?? join(repo, "target", "debug", "guidebook");
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'";
const PREFIX = "/guide/";
const shots = join(import.meta.dirname, "screenshots");
const LANGS = ["en", "fr", "de", "es", "el", "bg"];
/** The types the README asks a host to send, by a file of the shipped site that has each. */
const TYPES = {
  "en/index.html": "text/html; charset=utf-8",
  "css/guidebook.css": "text/css",
  "js/search.js": "text/javascript",
  "en/atom.xml": "application/xml",
  "favicon.svg": "image/svg+xml",
  "search/engine.bin": "application/octet-stream",
  "en/practices/practices.json": "application/json",
  "en/practices/practices.csv": "text/csv; charset=utf-8",
};

/** A temporary folder for a build: `{ out, build(args), remove() }`, `out` not yet made. */
function shippedSite() {
  const folder = mkdtempSync(join(tmpdir(), "guidebook-hosting-"));
  const out = join(folder, "public");
  const build = (args) => execFileSync(binary, ["build", "--root", repo, "--out", out, ...args], { stdio: "pipe" });
  return { out, build, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Opens `url` in a fresh page and records what went wrong; returns the page (still open) and
 * the problems. `expected404` is the address whose 404 answer is the point of the visit.
 */
async function visit(context, url, isLocal, expected404 = null) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    if (expected404 && text.includes("404") && !text.includes("Content Security Policy")) return;
    problems.push(`${url}: console error: ${text}`);
  });
  page.on("pageerror", (e) => problems.push(`${url}: script error: ${e.message}`));
  // A download the page cancels by leaving for another page (the language chooser sends the
  // reader on at once) is not a failure: only those of the document still shown count.
  let documents = 0;
  const madeBy = new WeakMap();
  page.on("framenavigated", (frame) => frame === page.mainFrame() && documents++);
  page.on("request", (req) => {
    madeBy.set(req, documents);
    if (!isLocal(req.url())) problems.push(`${url}: request to another host: ${req.url()}`);
  });
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText;
    if (error === "net::ERR_ABORTED" && madeBy.get(req) < documents) return;
    problems.push(`${url}: failed request: ${req.url()} ${error}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400 && res.url() !== expected404) problems.push(`${url}: ${res.status()} for ${res.url()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(50);
  const csp = await page.evaluate(() => window.__csp ?? []);
  problems.push(...csp.map((v) => `${url}: CSP violation: ${v}`));
  return { page, problems };
}

/** Every link of `page` to another page (a[href], without its fragment), as the browser resolves it. */
function linksOf(page) {
  return page.$$eval("a[href]:not([href^='#'])", (as) =>
    as.map((a) => a.href.split("#")[0]).filter((h) => h.startsWith("http") || h.startsWith("file:")),
  );
}

/**
 * Crawls from `starts`: visits every page `shouldVisit` accepts, and checks with `exists`
 * every link of every visited page. Returns the problems and the visited addresses.
 */
async function crawl(context, starts, { isLocal, shouldVisit, exists }) {
  const problems = [];
  const seen = new Set(starts);
  const queue = [...starts];
  const checked = new Map();
  while (queue.length > 0) {
    const url = queue.shift();
    const { page, problems: found } = await visit(context, url, isLocal);
    problems.push(...found);
    for (const link of await linksOf(page)) {
      if (!isLocal(link)) continue;
      if (!checked.has(link)) checked.set(link, await exists(link));
      if (!checked.get(link)) problems.push(`${url}: broken link ${link}`);
      // Pages only: the browser shows a feed (atom.xml) with styles and requests of its own.
      const isPage = link.endsWith("/") || link.endsWith(".html");
      if (checked.get(link) && isPage && !seen.has(link) && shouldVisit(link)) {
        seen.add(link);
        queue.push(link);
      }
    }
    await page.close();
  }
  return { problems, seen };
}

/** Types a query in the header's search box of `url`, presses Enter and waits for results. */
async function searchByEnter(context, url, isLocal) {
  const { page, problems } = await visit(context, url, isLocal);
  const csp = [];
  page.on("console", (msg) => msg.text().includes("Content Security Policy") && csp.push(msg.text()));
  await page.fill("#gb-search", "probation");
  // As a reader would: the suggestions (and the pages of the index they need) arrive
  // before Enter, so leaving the page does not cancel a download half-way.
  await page.waitForSelector("#gb-search-list [role=option]", { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  await Promise.all([page.waitForURL(/search\/(index\.html)?\?q=probation/), page.press("#gb-search", "Enter")]);
  await page.waitForSelector(".search-results li", { timeout: 30_000 });
  const results = await page.$$eval(".search-results li", (lis) => lis.length);
  const violations = await page.evaluate(() => window.__csp ?? []);
  problems.push(...violations.map((v) => `search: CSP violation: ${v}`), ...csp);
  const links = await linksOf(page);
  await page.close();
  return { problems, results, links };
}

const shownPerLanguage = (path) => LANGS.flatMap((l) => [`${l}/${path}`]);

describe("the shipped guidebook in nginx under /guide/, configured as the README says", () => {
  let server;
  let site;
  let browser;
  let context;
  before(async () => {
    site = shippedSite();
    server = await startNginx(site.out);
    site.build(["--base-url", `${server.origin}${PREFIX}`]);
    browser = await launch();
    context = await browser.newContext({ locale: "en-GB" });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    site?.remove();
  });

  const isLocal = (url) => url.startsWith(`${server.origin}/`);
  const exists = async (url) => (await fetch(url)).status === 200;

  test("a crawl finds no broken link, failed request, console error, CSP violation or other host", async () => {
    const extra = ["", ...shownPerLanguage(""), ...shownPerLanguage("accessibility/"), ...shownPerLanguage("search/")];
    const shouldVisit = (url) => {
      const path = new URL(url).pathname;
      return path.startsWith(`${PREFIX}en/`) || extra.some((p) => path === `${PREFIX}${p}`);
    };
    const { problems, seen } = await crawl(
      context,
      extra.map((p) => `${server.origin}${PREFIX}${p}`),
      { isLocal, shouldVisit, exists },
    );
    assert.deepEqual(problems, []);
    assert.ok(seen.size > 120, `only ${seen.size} pages visited`);
    for (const p of extra) assert.ok(seen.has(`${server.origin}${PREFIX}${p}`), `${p} not visited`);
  });

  test("Enter in the header's search box opens the results page, which works under the policy", async () => {
    const { problems, results, links } = await searchByEnter(context, `${server.origin}${PREFIX}fr/`, isLocal);
    assert.deepEqual(problems, []);
    assert.ok(results > 0, "no results");
    for (const link of links.filter(isLocal)) assert.ok(await exists(link), `broken link ${link}`);
  });

  test("the 404 page at a missing deep address is styled, in the reader's language, and stays inside the site", async () => {
    const missing = `${server.origin}${PREFIX}fr/pilots/no/such/page/`;
    const { page, problems } = await visit(context, missing, isLocal, missing);
    assert.deepEqual(problems, []);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.textContent("h1"), "Page introuvable");
    // Styled: the theme's style sheet applied (the header's background is not transparent).
    const background = await page.$eval(".site-header", (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(background, "rgba(0, 0, 0, 0)");
    assert.ok(await page.$("link[rel=icon]"));
    const links = await linksOf(page);
    assert.ok(links.length > 10);
    for (const link of links) {
      const inside = link.startsWith(`${server.origin}${PREFIX}`) || !isLocal(link);
      assert.ok(inside, `leaves the site: ${link}`);
      if (isLocal(link)) assert.ok(await exists(link), `broken link ${link}`);
    }
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "404-nginx-subpath-fr.png"), fullPage: true });
    await page.close();
  });
  test("the README's block sends the types, caching, compression and policy it promises", async () => {
    const base = `${server.origin}${PREFIX}`;
    for (const [file, type] of Object.entries(TYPES)) {
      const res = await fetch(base + file, { headers: { "accept-encoding": "gzip" } });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get("content-type"), type, file);
      assert.equal(res.headers.get("content-security-policy"), CSP, file);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", file);
      const cache = file.endsWith(".html") ? "no-cache" : "max-age=3600";
      assert.equal(res.headers.get("cache-control"), cache, file);
      if (!file.endsWith(".svg")) assert.equal(res.headers.get("content-encoding"), "gzip", file);
    }
    const missing = await fetch(`${base}de/no/such/page`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-security-policy"), CSP);
    assert.match(await missing.text(), /<html lang="de"/);
    const rootMissing = await fetch(`${server.origin}/guide/nothing-here`);
    assert.match(await rootMissing.text(), /<html lang="en"/);
    const bare = await fetch(`${server.origin}/guide`, { redirect: "manual" });
    assert.equal(bare.status, 301);
    assert.equal(new URL(bare.headers.get("location"), server.origin).pathname, PREFIX);
  });
});

describe("the shipped guidebook built --offline, opened from file://", () => {
  let site;
  let browser;
  let context;
  before(async () => {
    site = shippedSite();
    site.build(["--offline"]);
    browser = await launch();
    context = await browser.newContext({ locale: "en-GB" });
  });
  after(async () => {
    await browser?.close();
    site?.remove();
  });

  const isLocal = (url) => url.startsWith("file:") || url.startsWith("data:");
  const exists = async (url) => {
    const path = fileURLToPath(url.split("?")[0]);
    return existsSync(path) && statSync(path).isFile();
  };

  test("a crawl finds no broken link, failed request, console error or other host", async () => {
    const root = pathToFileURL(site.out).href + "/";
    const extra = [
      "index.html",
      ...shownPerLanguage("index.html"),
      ...shownPerLanguage("accessibility/index.html"),
      ...shownPerLanguage("search/index.html"),
    ];
    const shouldVisit = (url) => url.startsWith(`${root}en/`) || extra.some((p) => url === `${root}${p}`);
    const { problems, seen } = await crawl(
      context,
      extra.map((p) => `${root}${p}`),
      { isLocal, shouldVisit, exists },
    );
    assert.deepEqual(problems, []);
    assert.ok(seen.size > 120, `only ${seen.size} pages visited`);
  });

  test("Enter in the header's search box opens the results page from file://", async () => {
    const root = pathToFileURL(site.out).href + "/";
    const { problems, results, links } = await searchByEnter(context, `${root}el/index.html`, isLocal);
    assert.deepEqual(problems, []);
    assert.ok(results > 0, "no results");
    for (const link of links.filter((l) => l.startsWith("file:"))) assert.ok(await exists(link), `broken link ${link}`);
  });
});
