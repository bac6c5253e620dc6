// What a reader's search costs, in headless Chromium, on a built site served by a tiny static
// server (files as they are on disk, no HTTP compression: guidebook and Pagefind both write
// their index files compressed):
//   - the bytes transferred for a first query and for a second, different one, typed into
//     the site's search page: every response the query causes, counted by the browser
//     (body as transferred, and headers), whatever its name, so a single index file and
//     a chunked index are measured alike; the engine (a URL naming "engine" or "wasm") is
//     listed apart;
//   - with --pagefind DIR (a copy of the site on which `pagefind --site DIR` ran): the same
//     two queries through Pagefind's own API, loading the first 10 results' data;
//   - the query time after load: the median of 30 queries through `guidebookSearch.query`.
// Usage: node search.mjs OUT LANG QUERY1 QUERY2 [--pagefind DIR]   (prints one JSON object)
import { launch, serve } from "../browser/harness.mjs";

const [out, lang, first, second, flag, pagefindDir] = process.argv.slice(2);
const latencyQueries = ["training", "probation officers", "formation", "risk assessment", "exit", "municipal staff", "radicalisation prison", "cooperation", "offenders release", "youth"];
const QUIET_MS = 500;
const TIMEOUT_MS = 300_000;

/**
 * Counts the bytes of every request of `page` (its workers' included) while `action` runs
 * and until the network is quiet: the response's body as transferred plus its headers.
 */
async function transferOf(page, action) {
  const requests = [];
  const sizes = [];
  let pending = 0;
  let last = Date.now();
  const started = () => {
    pending++;
    last = Date.now();
  };
  const finished = (r) => {
    sizes.push(r.sizes().then((s) => requests.push({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize })));
    pending--;
    last = Date.now();
  };
  const failed = (r) => {
    requests.push({ url: r.url(), bytes: 0, failed: r.failure()?.errorText });
    pending--;
    last = Date.now();
  };
  page.on("request", started);
  page.on("requestfinished", finished);
  page.on("requestfailed", failed);
  await action();
  const deadline = Date.now() + TIMEOUT_MS;
  while ((pending > 0 || Date.now() - last < QUIET_MS) && Date.now() < deadline) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  page.off("request", started);
  page.off("requestfinished", finished);
  page.off("requestfailed", failed);
  await Promise.all(sizes);
  const origin = new URL(page.url()).origin;
  // The browser fetches the tab's icon again when the search page changes its address.
  const listed = requests.map((r) => ({ ...r, url: r.url.replace(origin, "") })).filter((r) => !/favicon/.test(r.url));
  const isEngine = (r) => /engine|wasm/i.test(r.url);
  const sum = (rs) => rs.reduce((n, r) => n + r.bytes, 0);
  return {
    total: sum(listed),
    engine: sum(listed.filter(isEngine)),
    rest: sum(listed.filter((r) => !isEngine(r))),
    failed: listed.filter((r) => r.failed).length,
    requests: listed,
  };
}

/** Types `q` into the results page's form and waits for its results to be shown. */
async function ask(page, q) {
  await page.evaluate(() => {
    document.querySelector("#search-page .search-results").textContent = "";
  });
  await page.fill("#gb-search-page-q", q);
  await page.press("#gb-search-page-q", "Enter");
  await page.waitForFunction(() => document.querySelector("#search-page .search-results").children.length > 0, null, { timeout: TIMEOUT_MS });
}

async function guidebookTransfer(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}${lang}/search/`, { waitUntil: "networkidle" });
  const firstQuery = await transferOf(page, () => ask(page, first));
  const secondQuery = await transferOf(page, () => ask(page, second));
  const latency = await page.evaluate(async (qs) => {
    const times = [];
    for (let round = 0; round < 3; round++) {
      for (const q of qs) {
        const t = performance.now();
        await window.guidebookSearch.query({ q: q + " ", limit: 10 });
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    const at = (f) => Math.round(times[Math.floor(times.length * f)] * 100) / 100;
    return { median_ms: at(0.5), p90_ms: at(0.9), max_ms: Math.round(times[times.length - 1] * 100) / 100 };
  }, latencyQueries);
  await page.close();
  return { first: firstQuery, second: secondQuery, latency };
}

async function pagefindTransfer(browser, dir) {
  const server = await serve(dir);
  const page = await browser.newPage();
  // A blank page of the site's origin in the reader's language; pagefind.js is loaded
  // before counting, as guidebook's search.js is part of the page.
  await page.route(`${server.url}__bench.html`, (route) => route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="${lang}"><title>bench</title></html>` }));
  await page.goto(`${server.url}__bench.html`);
  await page.evaluate(async (src) => {
    window.pf = await import(src);
  }, `${server.url}pagefind/pagefind.js`);
  const query = (q) => () => page.evaluate(async (q) => {
    const found = await window.pf.search(q);
    await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  }, q);
  const firstQuery = await transferOf(page, query(first));
  const secondQuery = await transferOf(page, query(second));
  await page.close();
  await server.close();
  return { first: firstQuery, second: secondQuery };
}

const server = await serve(out);
const browser = await launch();
const result = { lang, queries: [first, second], guidebook: await guidebookTransfer(browser, server.url) };
if (flag === "--pagefind" && pagefindDir) result.pagefind = await pagefindTransfer(browser, pagefindDir);
await browser.close();
await server.close();
console.log(JSON.stringify(result));
