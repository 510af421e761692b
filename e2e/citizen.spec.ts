import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { openDatapoint, signInByEmail, uniqueEmail } from "./pages";

test("an anonymous visitor reads a datapoint and is invited to sign in, not shown a vote form", async ({ page }) => {
  await openDatapoint(page, "helpfulness-nov-2026", "Pairwise preference");
  await expect(page.getByRole("link", { name: "Sign in to vote" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cast vote" })).toHaveCount(0);
  await expect(page.getByTestId("tally")).toHaveCount(0);
  await expect(page.getByTestId("tally-hidden")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a citizen signs in by magic link, votes blind, sees the tally, then changes the vote", async ({ page }) => {
  const email = uniqueEmail("citizen");
  await signInByEmail(page, email);
  await openDatapoint(page, "helpfulness-nov-2026", "Pairwise preference");

  await expect(page.getByTestId("tally-hidden")).toHaveText(/hidden until you have voted/);
  await expect(page.getByTestId("tally")).toHaveCount(0);
  await page.getByLabel("A is better").check();
  await page.getByLabel(/^Rationale/).fill("A actually answers the question that was asked.");
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByTestId("vote-message")).toHaveText("Your vote was recorded.");
  await expect(page.getByTestId("my-vote")).toContainText("A is better");
  await expect(page.getByTestId("tally")).toBeVisible();
  await expect(page.getByTestId("tally")).toContainText(/Voters\s*\d+ \(effective sample size/);
  await expect(page.getByTestId("manipulation-cost")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("B is better").check();
  await page.getByRole("button", { name: "Change vote" }).click();
  await expect(page.getByTestId("vote-message")).toHaveText("Your vote was changed.");
  await expect(page.getByTestId("my-vote")).toContainText("B is better (changed once)");
  await page.reload();
  await expect(page.getByTestId("my-vote")).toContainText("B is better (changed once)");
});

test("a batch that requires rationales refuses a vote without one, with a clear message", async ({ page }) => {
  await signInByEmail(page, uniqueEmail("rationale"));
  await openDatapoint(page, "harmlessness-nov-2026", "Pairwise preference");
  await expect(page.getByLabel(/^Rationale \(required in this batch\)/)).toBeVisible();
  await page.getByLabel("Both unacceptable (exclude from dataset)").check();
  // Bypass the browser's own required-field check to see the server's answer.
  await page.getByLabel(/^Rationale/).evaluate((el) => el.removeAttribute("required"));
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByTestId("vote-error")).toHaveText("This batch asks for a rationale with every vote.");
  await expect(page.getByTestId("my-vote")).toHaveCount(0);
});

test("profile: a display name, then account deletion signs the person out", async ({ page }) => {
  await signInByEmail(page, uniqueEmail("profile"));
  await page.goto("/profile");
  const pseudonym = await page.getByTestId("pseudonym").textContent();
  // A name that claims a role, or is another account's pseudonym, is refused with the reason.
  for (const [impostor, reason] of [
    ["Demo Moderator", /reserved/],
    ["Moderatоr Ada", /reserved/], // Cyrillic о
    [pseudonym!.toUpperCase().replaceAll("-", " "), /pseudonym/],
  ] as const) {
    await page.getByLabel("Display name", { exact: true }).fill(impostor);
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByTestId("name-error")).toHaveText(reason);
    await expect(page.getByTestId("signed-in-as")).not.toContainText(impostor);
  }
  // Unique per run and project: a live account's name is nobody else's.
  const name = `Ada ${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;
  await page.getByLabel("Display name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("name-message")).toContainText(name);
  await expect(page.getByTestId("signed-in-as")).toContainText(name);

  await page.getByLabel("Type DELETE to confirm").fill("delete");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByTestId("delete-error")).toHaveText("Type DELETE to confirm.");
  await page.getByLabel("Type DELETE to confirm").fill("DELETE");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\?account=deleted$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(pseudonym).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
});

test("rating and classification votes use their own widgets; sign-out ends the session", async ({ page }) => {
  await signInByEmail(page, uniqueEmail("rater"));
  await openDatapoint(page, "helpfulness-nov-2026", "Rating");
  const scale = page.getByTestId("rating-scale");
  await expect(scale).toBeVisible();
  const labels = scale.locator("label");
  expect(await labels.count()).toBeGreaterThanOrEqual(3);
  await labels.last().click();
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByTestId("vote-message")).toHaveText("Your vote was recorded.");

  await openDatapoint(page, "helpfulness-nov-2026", "Classification");
  await expect(page.getByTestId("rating-scale")).toHaveCount(0);
  const choices = page.getByRole("group").getByRole("radio");
  expect(await choices.count()).toBeGreaterThanOrEqual(2);
  await choices.first().check();
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByTestId("vote-message")).toHaveText("Your vote was recorded.");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
});

test("the vote API takes a signed-in citizen's votes and refuses the same cookie once signed out", async ({ page }) => {
  test.skip(test.info().project.name === "phone", "viewport-independent");
  await signInByEmail(page, uniqueEmail("api-voter"));
  await openDatapoint(page, "helpfulness-nov-2026", "Pairwise preference");
  const datapointId = new URL(page.url()).pathname.split("/").at(-1)!;
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"))!;
  const post = (option: string) =>
    page.request.post("/api/votes", {
      headers: { "Content-Type": "application/json", Cookie: `${cookie.name}=${cookie.value}` },
      data: { datapointId, option, idempotencyKey: crypto.randomUUID() },
    });

  // The first vote reads the session; the change after it is checked in the vote's own statement.
  expect((await post("A")).status()).toBe(201);
  const changed = await post("B");
  expect(changed.status()).toBe(201);
  expect(await changed.json()).toMatchObject({ changed: true, duplicate: false });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  const refused = await post("TIE");
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ status: 401, detail: "Sign in to vote." });
});
