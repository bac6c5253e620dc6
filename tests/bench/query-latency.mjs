// Query latency in headless Chromium: load a built site's search page, warm the engine
// up, then time queries through `guidebookSearch.query`. Usage: node query-latency.mjs OUT
import { launch, serve } from "../browser/harness.mjs";

const out = process.argv[2];
const queries = ["training", "probation officers", "formation", "risk assessment", "exit", "municipal staff", "radicalisation prison", "cooperation", "offenders release", "youth"];
const server = await serve(out);
const browser = await launch();
const page = await browser.newPage();
await page.goto(`${server.url}en/search/`);
const result = await page.evaluate(async (qs) => {
  const t0 = performance.now();
  await window.guidebookSearch.query({ q: "warm", limit: 10 });
  const load = performance.now() - t0;
  const times = [];
  for (let round = 0; round < 3; round++) {
    for (const q of qs) {
      const t = performance.now();
      await window.guidebookSearch.query({ q: q + " ", limit: 10 });
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { load, median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], max: times[times.length - 1] };
}, queries);
console.log(JSON.stringify(result));
await browser.close();
await server.close();
