// The reader's site in a real browser: the shipped guidebook passes axe-core's WCAG 2.0/2.1
// A and AA rules on every kind of page, in English and Greek, in both colour schemes, at
// 1280 and 320 px; no English page scrolls sideways at 320 px; the keyboard reaches
// everything. Screenshots for review are written to tests/browser/screenshots/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { guidebook, launch, serve } from "./harness.mjs";

const repo = resolve(import.meta.dirname, "..", "..");
const axePath = join(import.meta.dirname, "node_modules", "axe-core", "axe.min.js");
const shots = join(import.meta.dirname, "screenshots");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Every folder page (index.html) under `dir`, as paths relative to `root` ending in "/". */
function pagesUnder(root, dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...pagesUnder(root, path));
    else if (name === "index.html") found.push(relative(root, dir).split("\\").join("/") + "/");
  }
  return found;
}

/** axe-core's violations on the open page, as "rule: target" lines. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

describe("the reader's site", () => {
  let out, server, browser, enPages;
  const kindPages = {};

  before(async () => {
    out = mkdtempSync(join(tmpdir(), "guidebook-reader-"));
    guidebook(repo, ["build", "--out", join(out, "site")]);
    server = await serve(join(out, "site"));
    browser = await launch();
    mkdirSync(shots, { recursive: true });
    enPages = pagesUnder(join(out, "site"), join(out, "site", "en"));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** The template types to check, in `lang`: the kinds' first pages found while crawling. */
  function templates(lang) {
    const kinds = Object.values(kindPages).map((p) => p.replace(/^en\//, `${lang}/`));
    return [
      `${lang}/`,
      `${lang}/pilots/`,
      ...kinds,
      `${lang}/themes/`,
      `${lang}/themes/case-management/`,
      `${lang}/pilots/country/france/`,
      `${lang}/search/?q=radicalisation`,
      `${lang}/print/`,
      `${lang}/accessibility/`,
      `${lang}/404.html`,
      "404.html",
      "",
    ];
  }

  test("at 320 px no English page scrolls sideways", async () => {
    // Three tabs share the pages (in the order found, so each kind's first page is the
    // same every run): loading overlaps, and the crawl takes a third of the time.
    const wide = [];
    const found = new Array(enPages.length);
    let next = 0;
    const tab = async () => {
      const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
      while (next < enPages.length) {
        const i = next++;
        const path = enPages[i];
        await page.goto(server.url + path);
        const [scroll, inner, kind] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          window.innerWidth,
          document.querySelector("article.page")?.className.match(/kind-(\S+)/)?.[1],
        ]);
        found[i] = kind;
        if (scroll > inner) wide.push(`${path} is ${scroll} px wide`);
      }
      await page.close();
    };
    await Promise.all([tab(), tab(), tab()]);
    enPages.forEach((path, i) => {
      if (found[i] && !kindPages[found[i]]) kindPages[found[i]] = path;
    });
    wide.sort();
    assert.ok(enPages.length > 100, `only ${enPages.length} pages found`);
    assert.deepEqual(wide, []);
  });

  for (const lang of ["en", "el"]) {
    for (const scheme of ["light", "dark"]) {
      for (const width of [1280, 320]) {
        test(`axe: 0 violations in ${lang}, ${scheme}, ${width} px`, async (t) => {
          if (Object.keys(kindPages).length === 0) t.skip("the crawl found no kinds");
          const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
          const page = await context.newPage();
          const found = [];
          for (const path of templates(lang)) {
            await page.goto(server.url + path);
            if (path.includes("/search/")) await page.waitForSelector(".search-results li", { timeout: 15000 });
            const v = await violations(page);
            found.push(...v.map((line) => `${path} ${line}`));
          }
          await context.close();
          assert.deepEqual(found, []);
        });
      }
    }
  }

  test("keyboard: skip link first, menu opens and closes, search combobox, languages, code scrolls", async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(`${server.url}en/editors-guide/`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
    // Search box, then the Menu button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.tagName), "SUMMARY");
    assert.equal(await page.locator(".site-nav").isVisible(), false);
    await page.keyboard.press("Enter");
    assert.equal(await page.locator(".site-nav").isVisible(), true);
    await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => document.activeElement.closest(".site-nav") !== null), "the first link of the menu follows");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator(".site-nav").isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.tagName), "SUMMARY");
    await page.keyboard.press("Enter");
    let steps = 0;
    while (!(await page.evaluate(() => document.activeElement.closest(".languages") !== null)) && steps++ < 40) {
      await page.keyboard.press("Tab");
    }
    assert.ok(steps < 40, "the language switcher is reachable by Tab");
    await page.locator(".menu > summary").focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator(".site-nav").isVisible(), false);

    const box = page.getByRole("combobox");
    await box.focus();
    await box.pressSequentially("avignon", { delay: 20 });
    await page.waitForSelector("#gb-search-list [role=option]");
    await box.press("ArrowDown");
    assert.equal(await page.getByRole("option").first().getAttribute("aria-selected"), "true");
    await box.press("Escape");
    assert.equal(await page.locator("#gb-search-list").isVisible(), false);
    await box.press("Backspace");
    await page.waitForSelector("#gb-search-list [role=option]");
    await box.press("ArrowDown");
    const chosen = await page.getByRole("option").first().locator("a").getAttribute("href");
    await box.press("Enter");
    await page.waitForURL((u) => !u.pathname.includes("editors-guide"));
    assert.ok(page.url().endsWith(chosen.replace(/^(\.\.\/)+/, "")), `${page.url()} is the chosen result ${chosen}`);

    await page.goto(`${server.url}en/editors-guide/`);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("pre.code")].findIndex((el) => el.scrollWidth > el.clientWidth),
    );
    assert.ok(wide >= 0, "a code block is wider than the phone");
    const code = page.locator("pre.code").nth(wide);
    await code.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    // Arrow-key scrolling is animated: wait for it to move rather than read it at once.
    const scrolled = await code
      .evaluate((el) => new Promise((done) => {
        const start = performance.now();
        const look = () => (el.scrollLeft > 0 || performance.now() - start > 5000 ? done(el.scrollLeft > 0) : requestAnimationFrame(look));
        look();
      }));
    assert.ok(scrolled, "the arrow keys scroll the code block");
    await page.close();
  });

  test("the print page leads back on screen, and prints without its chrome", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}fr/print/`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
    const home = page.getByRole("banner").getByRole("link");
    assert.match(await home.textContent(), /^Page d'accueil de /);
    const statement = page.getByRole("contentinfo").getByRole("link", { name: "Déclaration d'accessibilité" });
    assert.equal(await statement.isVisible(), true);
    await page.emulateMedia({ media: "print" });
    assert.equal(await home.isVisible(), false, "no header on paper");
    assert.equal(await statement.isVisible(), false, "no footer on paper");
    await page.emulateMedia({ media: "screen" });
    await home.click();
    assert.equal(page.url(), `${server.url}fr/`);
    await page.close();
    // The chooser's script would go to the browser's language: read it without.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const chooser = await context.newPage();
    await chooser.goto(server.url);
    await chooser.getByRole("contentinfo").getByRole("link", { name: "Δήλωση προσβασιμότητας" }).click();
    assert.equal(chooser.url(), `${server.url}el/accessibility/`);
    await context.close();
  });

  test("the scheme toggle is remembered", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    const page = await context.newPage();
    await page.goto(`${server.url}en/`);
    await page.check("input[name=gb-scheme][value=dark]");
    await page.goto(`${server.url}en/pilots/`);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.scheme), "dark");
    assert.equal(await page.isChecked("input[name=gb-scheme][value=dark]"), true);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, "rgb(20, 24, 28)");
    await page.check("input[name=gb-scheme][value=system]");
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.scheme), undefined);
    await context.close();
  });

  test("screenshots for review", async () => {
    const sheet = kindPages.pilot_sheet ?? "en/pilots/avignon/";
    for (const scheme of ["light", "dark"]) {
      for (const width of [360, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(server.url + sheet);
        await page.screenshot({ path: join(shots, `pilot-sheet-${width}-${scheme}.png`), fullPage: true });
        // A browse page with its facets and open-data links, and a page of another kind.
        for (const [name, address] of [["practices", "en/practices/"], ["practice", kindPages.practice]]) {
          if (!address) continue;
          await page.goto(server.url + address);
          await page.screenshot({ path: join(shots, `${name}-${width}-${scheme}.png`), fullPage: true });
        }
        if (width === 360) {
          await page.goto(`${server.url}404.html`);
          await page.screenshot({ path: join(shots, `404-${width}-${scheme}.png`), fullPage: true });
        }
        await context.close();
      }
    }
  });
});
