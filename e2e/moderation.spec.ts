import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { closedBatch } from "./factories";
import { newPage, signInAsDemo, signInByEmail, uniqueEmail } from "./pages";

test("a moderator takes a datapoint from the queue to a final label; an appeal reopens it", async ({ browser }) => {
  test.setTimeout(180_000);
  const batch = closedBatch();
  const moderator = await newPage(browser);
  await signInAsDemo(moderator, "Demo Moderator", "/moderation");
  await moderator.getByLabel("Batch").selectOption(batch.slug);
  await moderator.getByRole("button", { name: "Filter" }).click();
  const queue = moderator.getByRole("list", { name: "Queue" }).getByRole("listitem");
  await expect(queue.first()).toContainText("Tally decided");
  await expectNoSeriousA11yViolations(moderator);
  await queue.filter({ hasText: "Pairwise" }).getByRole("link").click();

  await expect(moderator.getByTestId("tally-outcome")).toHaveText("A is better");
  await expect(moderator.getByTestId("bridging-flag")).toBeVisible();
  await expect(moderator.getByTestId("vote-timeline").getByRole("listitem")).toHaveCount(5);
  await expectNoSeriousA11yViolations(moderator);
  await moderator
    .getByLabel("Rationale (published)")
    .first()
    .fill("Four of five voters preferred A, and the discussion raised no safety issue.");
  await moderator.getByRole("button", { name: "Finalize “A is better”" }).click();
  // The decision forms give way to the final state once the label is final.
  await expect(moderator.getByText("The label is final. An accepted appeal can reopen it.")).toBeVisible();

  // The public story of the label names the decision with its seq and a proof link.
  await moderator.goto(`/datapoints/${batch.pairwise}/story`);
  const finalized = moderator.getByTestId("story-event").filter({ hasText: "decision.finalized" }).first();
  await expect(finalized).toBeVisible();
  await expect(finalized.getByRole("link", { name: /proof/i })).toHaveAttribute(
    "href",
    /\/api\/log\/proof\/inclusion\?seq=\d+/,
  );

  // The public sees the final label, its history, and can appeal.
  const citizen = await newPage(browser);
  await signInByEmail(citizen, uniqueEmail("appellant"), `/datapoints/${batch.pairwise}`);
  await expect(citizen.getByTestId("label-history")).toContainText("A is better — final");
  await citizen.getByText("Appeal this label").click();
  await citizen
    .getByLabel("Why should the label be reconsidered?")
    .fill("Response A gives a cooking time that is unsafe for children.");
  await citizen.getByRole("button", { name: "File appeal" }).click();
  await expect(citizen.getByTestId("appeal-message")).toContainText("Your appeal was filed");

  // The deciding moderator may not judge the appeal; a second one reopens voting.
  await moderator.goto(`/moderation/datapoints/${batch.pairwise}`);
  await moderator.getByLabel("Rationale for reopening (published)").fill("The safety point deserves a fresh vote.");
  await moderator.getByRole("button", { name: "Accept appeal and reopen voting" }).click();
  await expect(moderator.getByRole("alert").filter({ hasText: "another moderator must resolve it" })).toBeVisible();

  const second = await newPage(browser);
  await signInAsDemo(second, "Demo Moderator Two", `/moderation/datapoints/${batch.pairwise}`);
  await second.getByLabel("Rationale for reopening (published)").fill("The safety point deserves a fresh vote.");
  await second.getByRole("button", { name: "Accept appeal and reopen voting" }).click();
  await expect(second.getByTestId("label-history")).toContainText("superseded after an appeal");
  await expect(second.getByTestId("open-appeal")).toHaveCount(0);

  await citizen.reload();
  await expect(citizen.getByTestId("label-history")).toContainText("superseded after an appeal");
  await expect(citizen.getByRole("button", { name: "Cast vote" })).toBeVisible();
});

test("an override needs a second moderator", async ({ browser }) => {
  test.setTimeout(60_000);
  const batch = closedBatch();
  const first = await newPage(browser);
  await signInAsDemo(first, "Demo Moderator", `/moderation/datapoints/${batch.pairwise}`);
  await first.getByLabel("Label", { exact: true }).selectOption("BOTH_BAD");
  await first.getByLabel("Reason", { exact: true }).selectOption("POLICY_VIOLATION");
  await first.getByLabel("Rationale (published)").last().fill("Both responses ignore the allergy the user mentioned.");
  await first.getByRole("button", { name: "Propose override" }).click();
  await expect(first.getByText("waits for a second moderator")).toBeVisible();

  const second = await newPage(browser);
  await signInAsDemo(second, "Demo Moderator Two", `/moderation/datapoints/${batch.pairwise}`);
  await expect(second.getByTestId("pending-override")).toContainText("Both unacceptable");
  await second.getByRole("button", { name: "Confirm override" }).click();
  await expect(second.getByText("The label is final. An accepted appeal can reopen it.")).toBeVisible();
  await second.goto(`/datapoints/${batch.pairwise}`);
  await expect(second.getByTestId("label-history")).toContainText("Both unacceptable (exclude from dataset) — final");
  await expect(second.getByTestId("label-history")).toContainText("override (policy violation)");
});
