import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { openDatapoint, signInByEmail, uniqueEmail } from "./pages";

test("a citizen's vote and comment are in the datapoint's story and in the audit log, each with a proof link", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signInByEmail(page, uniqueEmail("storyteller"));
  await page.goto("/profile");
  const pseudonym = (await page.getByTestId("pseudonym").textContent())!.trim();
  expect(pseudonym).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);

  await openDatapoint(page, "helpfulness-nov-2026", "Pairwise preference");
  await page.getByLabel("A is better").check();
  await page.getByRole("button", { name: "Cast vote" }).click();
  await expect(page.getByTestId("vote-message")).toHaveText("Your vote was recorded.");
  const token = `story${Date.now()}`;
  await page.getByLabel("Add a comment").fill(`Story check ${token}`);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.locator("article").filter({ hasText: token }).last()).toBeVisible();

  // The story, reached from the datapoint page.
  await page.getByRole("link", { name: /How this label was decided/ }).click();
  await expect(page).toHaveURL(/\/datapoints\/[0-9a-f-]{36}\/story$/);
  await expect(page.getByRole("heading", { level: 1, name: "How this label was decided" })).toBeVisible();
  const myVote = page.getByTestId("story-event").filter({ hasText: `${pseudonym} voted “A is better”` });
  await expect(myVote).toHaveCount(1);
  await expect(myVote.getByTestId("event-actor")).toHaveText(pseudonym);
  await expect(myVote.getByTestId("event-seq")).toHaveText(/^seq \d+$/);
  await expect(myVote).toContainText("Tally visible when voting");
  const seq = (await myVote.getByTestId("event-seq").textContent())!.replace("seq ", "").trim();
  await expect(myVote.getByRole("link", { name: /^Inclusion proof/ })).toHaveAttribute(
    "href",
    `/api/log/proof/inclusion?seq=${seq}`,
  );
  const myComment = page.getByTestId("story-event").filter({ hasText: `${pseudonym} posted a comment` });
  await expect(myComment).toContainText(`Story check ${token}`);
  await expect(myComment).toContainText("Body hash");
  await expect(page.getByText(/@example\.test/)).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // The log, filtered to votes: every row is a vote, the head is shown, and the nav links here.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toHaveAttribute(
    "href",
    "/audit",
  );
  await page.goto("/audit?type=vote.cast");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-head")).toContainText("Last seq");
  const rows = page.getByTestId("audit-event");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(50);
  for (let i = 0; i < count; i++) await expect(rows.nth(i)).toContainText("vote.cast");
  await expectNoSeriousA11yViolations(page);

  // Narrowed to this citizen through the filter form: exactly their vote, with its proof link.
  await page.getByLabel("Actor").fill(pseudonym);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]actor=/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("event-seq")).toHaveText(`seq ${seq}`);
  await expect(rows.first().getByRole("link", { name: /^Inclusion proof/ })).toHaveAttribute(
    "href",
    `/api/log/proof/inclusion?seq=${seq}`,
  );

  // A bad filter value is explained, not a failure.
  await page.goto("/audit?type=vote.stolen&from=abc");
  await expect(page.getByRole("status").filter({ hasText: "“vote.stolen” is not an event type" })).toBeVisible();
  await expect(rows.first()).toBeVisible();

  // A rename later does not rewrite the log: the vote, and the rename itself, still read
  // under the pseudonym alone; only later events will carry the new name.
  const name = `Storyteller ${Math.random()
    .toString(36)
    .replace(/[^a-z]/g, "")
    .slice(0, 8)}`;
  await page.goto("/profile");
  await page.getByLabel("Display name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("name-message")).toContainText(name);
  await page.goto(`/audit?actor=${pseudonym}`);
  const vote = rows.filter({ hasText: "vote.cast" });
  await expect(vote).toHaveCount(1);
  await expect(vote.getByTestId("event-actor")).toHaveText(pseudonym);
  await expect(vote).toContainText(`${pseudonym} voted “A”`);
  await expect(rows.filter({ hasText: "user.renamed" })).toHaveCount(1);
  await expect(page.getByRole("main").getByText(name)).toHaveCount(0);
});
