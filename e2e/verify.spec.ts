import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";

type PublishedKey = { origin: string; keyId: string; verifierKey: string; fingerprint: string };

test("the verify page shows the published key's fingerprint and a command that pins it", async ({ page, request }) => {
  const response = await request.get("/.well-known/plenary-checkpoint-key");
  expect(response.status()).toBe(200);
  const key = (await response.json()) as PublishedKey;
  expect(key.fingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){15}$/);

  await page.goto("/data");
  await page.getByRole("main").getByRole("link", { name: "Verify a release" }).click();
  await expect(page).toHaveURL(/\/verify$/);
  await expect(page.getByRole("heading", { level: 1, name: "Verify a release" })).toBeVisible();

  // What a researcher compares by eye: the fingerprint on the page is the one the site publishes.
  expect(await page.getByTestId("key-fingerprint").textContent()).toBe(key.fingerprint);
  await expect(page.getByTestId("key-origin")).toHaveText(key.origin);
  await expect(page.getByTestId("key-id")).toHaveText(key.keyId);
  await expect(page.getByTestId("verifier-key")).toHaveText(key.verifierKey);
  await expect(page.getByTestId("verify-command")).toContainText(
    `npm run verify -- ./release --key ${key.verifierKey}`,
  );
  await expect(page.getByTestId("verify-previous-command")).toContainText(`--key ${key.verifierKey} --previous`);
  await expect(page.getByTestId("checkpoint-tree-size")).toHaveText(/^[1-9][\d,]*$/);
  for (const heading of [
    "Step by step",
    "What it checks",
    "Exit codes",
    "Continuity with --previous",
    "When it says NOT VERIFIED",
  ]) {
    await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "/.well-known/plenary-checkpoint-key" })).toHaveAttribute(
    "href",
    "/.well-known/plenary-checkpoint-key",
  );
  await expectNoSeriousA11yViolations(page);
});

test("the verify page carries the filters chosen on /data into the manifest address", async ({ page, baseURL }) => {
  await page.goto("/verify?batch=some-batch&minAgreement=0.7");
  await expect(page.getByTestId("verify-url-command")).toContainText(
    `'${baseURL}/api/exports/manifest?batch=some-batch&minAgreement=0.7' --key `,
  );
});
