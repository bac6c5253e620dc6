// Navigation: facet filters are kept in the address, so that a filtered view can be
// bookmarked or shared, and opening such an address restores it; the header's menu groups
// close with Escape and, on wide screens, with a click or focus outside them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { servedFixture } from "./harness.mjs";

describe("navigation", () => {
  const fixture = servedFixture("knowledge");

  const visibleTitles = (page) => page.locator(".cards > .card:not([hidden]) h2").allTextContents();

  test("facet filters are written in the query string and restored from it", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/pilots/`);
    await page.getByRole("button", { name: /^France/ }).click();
    await page.getByRole("button", { name: /^risk assessment/ }).click();
    assert.equal(page.url(), `${fixture.server.url}en/pilots/?country=france&themes=risk-assessment`);
    assert.deepEqual(await visibleTitles(page), ["Avignon"]);

    await page.reload();
    assert.deepEqual(await visibleTitles(page), ["Avignon"]);
    assert.equal(await page.getByRole("button", { name: /^France/ }).getAttribute("aria-pressed"), "true");
    assert.equal(await page.getByRole("button", { name: /^risk assessment/ }).getAttribute("aria-pressed"), "true");

    await page.getByRole("button", { name: /^France/ }).click();
    await page.getByRole("button", { name: /^risk assessment/ }).click();
    assert.equal(page.url(), `${fixture.server.url}en/pilots/`);
    await page.close();
  });

  test("a shared address with two values of one facet shows either", async () => {
    const page = await fixture.browser.newPage();
    await page.goto(`${fixture.server.url}en/pilots/?country=france,spain`);
    assert.deepEqual(await visibleTitles(page), ["Avignon", "Sarcelles", "Málaga"]);
    assert.equal(await page.getByRole("main").getByRole("status").textContent(), "3 of 3 pages shown");
    await page.close();
  });
});

describe("menu groups", () => {
  const fixture = servedFixture("valid");
  const group = (page) => page.locator(".site-nav .nav-group > details");
  const focused = (page) => page.evaluate(() => document.activeElement.textContent);

  test("on wide screens Escape, a click outside and focus outside close an open group", async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${fixture.server.url}en/pilots/`);
    const about = page.locator(".site-nav summary", { hasText: "About" });

    await about.focus();
    await page.keyboard.press("Enter");
    assert.equal(await group(page).getAttribute("open"), "");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "About this guide");
    await page.keyboard.press("Escape");
    assert.equal(await group(page).getAttribute("open"), null, "Escape closes it");
    assert.equal(await focused(page), "About", "focus is back on its summary");

    await about.click();
    assert.equal(await group(page).getAttribute("open"), "");
    await page.getByRole("heading", { level: 1 }).click();
    assert.equal(await group(page).getAttribute("open"), null, "a click outside closes it");

    await about.click();
    await page.keyboard.press("Escape");
    assert.equal(await group(page).getAttribute("open"), null, "Escape after a mouse click");

    await about.click();
    await page.getByRole("combobox").focus();
    assert.equal(await group(page).getAttribute("open"), null, "focus outside closes it");
    await page.close();
  });

  test("on narrow screens Escape closes the group, not the menu around it", async () => {
    const page = await fixture.browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${fixture.server.url}en/pilots/`);
    await page.locator(".site-header details.menu > summary").click();
    await page.locator(".site-nav summary", { hasText: "About" }).click();
    await page.getByRole("link", { name: "About this guide" }).focus();
    await page.keyboard.press("Escape");
    assert.equal(await group(page).getAttribute("open"), null);
    assert.equal(await page.locator(".site-header details.menu").getAttribute("open"), "");
    assert.equal(await focused(page), "About");
    await page.close();
  });

  test("without JavaScript a group is still a disclosure", async () => {
    const context = await fixture.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${fixture.server.url}en/pilots/`);
    await page.locator(".site-nav summary", { hasText: "About" }).click();
    await page.getByRole("link", { name: "About this guide" }).click();
    assert.equal(page.url(), `${fixture.server.url}en/about/`);
    await context.close();
  });
});
