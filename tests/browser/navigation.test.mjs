// Navigation: facet filters are kept in the address, so that a filtered view can be
// bookmarked or shared, and opening such an address restores it.
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
