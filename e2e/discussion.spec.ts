import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { openDatapoint, signInByEmail, uniqueEmail } from "./pages";

const comment = (page: Page, text: string) => page.locator("article").filter({ hasText: text }).last();

test("a citizen comments, replies three levels deep, edits with history, and flags", async ({ page }) => {
  test.setTimeout(60_000);
  await signInByEmail(page, uniqueEmail("discussant"));
  await openDatapoint(page, "honesty-nov-2026", "Pairwise preference");
  const token = `t${Date.now()}`;

  await page.getByLabel("Add a comment").fill(`Response B is **better calibrated** (${token}).`);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByTestId("discussion-form-message").first()).not.toBeEmpty();
  const top = comment(page, `(${token})`);
  await expect(top.locator("strong")).toHaveText("better calibrated");

  let parent = top;
  for (const level of [1, 2, 3]) {
    await parent.getByText("Reply", { exact: true }).click();
    await parent.getByLabel("Your reply").fill(`Reply level ${level} ${token}`);
    await parent.getByRole("button", { name: "Post reply" }).click();
    parent = comment(page, `Reply level ${level} ${token}`);
    await expect(parent).toBeVisible();
  }
  // Each reply is nested inside its parent's list item.
  const deepest = page
    .locator(`li:has(> article:has-text("${token})")) li li li`)
    .filter({ hasText: `Reply level 3 ${token}` });
  await expect(deepest.first()).toBeVisible();

  await top.getByText("Edit", { exact: true }).click();
  await top.getByLabel("Edit your comment").fill(`Response B is better calibrated, on reflection (${token}).`);
  await top.getByRole("button", { name: "Save edit" }).click();
  const edited = comment(page, `on reflection (${token})`);
  await expect(edited.getByText(/edited .* 1 earlier version/)).toBeVisible();
  await edited.getByText(/edited .* 1 earlier version/).click();
  await expect(edited.locator("details").filter({ hasText: "earlier version" }).first()).toContainText(
    `Response B is better calibrated (${token}).`,
  );
  await expect(edited).not.toContainText("Reply level");

  const reply = comment(page, `Reply level 1 ${token}`);
  await reply.getByText("Flag", { exact: true }).click();
  await reply.getByLabel("Reason").selectOption("OFF_TOPIC");
  await reply.getByRole("button", { name: "Flag comment" }).click();
  // The form gives way to the standing confirmation once the flag is recorded.
  await expect(reply.getByText("You flagged this comment")).toBeVisible();

  const flagDatapoint = page.locator("details").filter({ has: page.getByText("Flag this datapoint", { exact: true }) });
  await flagDatapoint.getByText("Flag this datapoint", { exact: true }).click();
  await flagDatapoint.getByLabel("Reason").selectOption("MISLABELED");
  await flagDatapoint.getByRole("button", { name: "Flag datapoint" }).click();
  await expect(page.getByText("You flagged this datapoint; moderators will review it.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("You flagged this datapoint; moderators will review it.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("an XSS payload in a comment is inert in the browser", async ({ page }) => {
  await signInByEmail(page, uniqueEmail("mallory"));
  await openDatapoint(page, "harmlessness-nov-2026", "Classification");
  const token = `x${Date.now()}`;
  const payload = [
    `Payload ${token}`,
    `<img src=x onerror="window.__xss='img'">`,
    `<script>window.__xss='script'</script>`,
    `[click me](javascript:window.__xss='link')`,
    `<a href="javascript:window.__xss='raw'">raw link</a>`,
    `![tracker](https://example.invalid/pixel.png)`,
  ].join("\n\n");
  await page.getByLabel("Add a comment").fill(payload);
  await page.getByRole("button", { name: "Post comment" }).click();
  const posted = comment(page, `Payload ${token}`);
  await expect(posted).toBeVisible();
  await page.reload();
  await page
    .getByText("click me")
    .click()
    .catch(() => undefined);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  const body = comment(page, `Payload ${token}`);
  await expect(body.locator("img, script, iframe")).toHaveCount(0);
  await expect(body.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(body.locator("[onerror]")).toHaveCount(0);
});

test("an anonymous visitor reads the discussion and is invited to sign in", async ({ page }) => {
  await openDatapoint(page, "honesty-nov-2026", "Pairwise preference");
  await expect(page.getByRole("heading", { name: "Discussion" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to join the discussion" })).toBeVisible();
  await expect(page.getByLabel("Add a comment")).toHaveCount(0);
  await expect(page.getByText("Flag this datapoint")).toHaveCount(0);
});
