import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";

test("home lists open batches and seeded datapoints", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Decide, in public");
  await expect(page.getByRole("heading", { name: "Open batches" })).toBeVisible();
  // Other specs' factories open short-lived batches of their own at the same time, so the
  // seeded three are checked by name rather than by counting everything that is open.
  const batches = page.getByRole("heading", { name: "Open batches" }).locator("xpath=..").getByRole("listitem");
  for (const title of [
    "Helpfulness — November 2026",
    "Harmlessness — November 2026",
    "Honesty & Calibration — November 2026",
  ]) {
    await expect(batches.filter({ hasText: title })).toHaveCount(1);
  }
  const datapoints = page.getByRole("list", { name: "Datapoints" }).getByRole("listitem");
  await expect(datapoints).toHaveCount(12);
  await expectNoSeriousA11yViolations(page);
});

test("security headers are sent", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});

test("a pairwise datapoint page shows prompt, both responses and the proposed label", async ({ page }) => {
  // The list shows 20 a page: follow the "Next page" links and count every datapoint listed.
  await page.goto("/datapoints");
  const items = page.getByRole("list", { name: "Datapoints" }).getByRole("listitem");
  let listed = 0;
  for (let pages = 0; pages < 10; pages++) {
    listed += await items.count();
    const next = page.getByRole("link", { name: "Next page" });
    if ((await next.count()) === 0) break;
    await page.goto((await next.getAttribute("href"))!);
  }
  expect(listed).toBeGreaterThanOrEqual(40);
  await page.goto("/datapoints");
  await expect(items).toHaveCount(20);
  await items.filter({ hasText: "Pairwise preference" }).first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Prompt" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Response A" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Response B" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Proposed label" })).toBeVisible();
  await expect(page.getByText(/^Source: /)).toBeVisible();
  await expect(page.getByText(/Content hash \(SHA-256\): [0-9a-f]{64}/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("rating and classification datapoints show their label options", async ({ page }) => {
  for (const kind of ["Rating", "Classification"]) {
    await page.goto("/datapoints");
    await page
      .getByRole("list", { name: "Datapoints" })
      .getByRole("listitem")
      .filter({ hasText: kind })
      .first()
      .getByRole("link")
      .click();
    await expect(page.getByRole("heading", { name: "Label options" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Response A" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  }
});

test("an unknown datapoint is a 404 page, not an error", async ({ page }) => {
  const missing = await page.goto("/datapoints/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const malformed = await page.goto("/datapoints/not-a-uuid");
  expect(malformed?.status()).toBe(404);
});

test("policies are listed in plain language and a batch page links its policy and agreement", async ({ page }) => {
  await page.goto("/policies");
  const policies = page.getByRole("list", { name: "Policies" }).getByRole("listitem");
  // Each kind's first version (no `specification`) and the current one, which names plenary-tally/2.
  await expect(policies).toHaveCount(8);
  await expect(policies.filter({ hasText: "trust-tier v2" })).toContainText("new account");
  await page.getByRole("link", { name: "equal v2" }).click();
  await expect(page.getByRole("heading", { name: "Policy equal v2" })).toBeVisible();
  await expect(page.getByText(/"kind": "equal"/)).toBeVisible();
  await expect(page.getByTestId("policy-specification")).toContainText("plenary-tally/2");
  await page
    .getByRole("link", { name: /Helpfulness/ })
    .first()
    .click();
  await expect(page.getByTestId("batch-policy")).toHaveText("equal v2");
  await expect(page.getByRole("heading", { name: "Agreement between voters" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the tally specification a policy names is published on the site", async ({ page }) => {
  await page.goto("/policies");
  await page.getByRole("link", { name: "tally specification" }).click();
  await expect(page.getByRole("heading", { name: "Plenary tally specification" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "4.4 representative (raking)" })).toBeVisible();
  await expect(page.getByTestId("tally-specification")).toContainText("trim and redistribute");
  await expectNoSeriousA11yViolations(page);
});
