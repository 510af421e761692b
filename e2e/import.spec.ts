import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { signInAsDemo, signInByEmail, uniqueEmail } from "./pages";

const uniqueSlug = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

/** A batch and two datapoints; `badLabel` puts an invalid label on line 3. Voting has
 * already closed, so the batch is public without joining the home page's open batches. */
function batchFile(slug: string, badLabel = false): Buffer {
  const datapoint = (externalId: string, proposedLabel: string) => ({
    record: "datapoint",
    batch: slug,
    externalId,
    kind: "pairwise",
    category: "honesty",
    title: `Imported ${externalId}`,
    prompt: "Is the Great Wall of China visible from space?",
    responses: [
      { id: "A", text: "Yes, easily, even from the Moon." },
      { id: "B", text: "Not with the naked eye from orbit." },
    ],
    proposedLabel,
    proposedLabelSource: "e2e import",
  });
  const records = [
    {
      record: "batch",
      slug,
      title: `E2E import ${slug}`,
      policy: "equal",
      opensAt: "2020-01-01T00:00:00Z",
      closesAt: "2021-01-01T00:00:00Z",
    },
    datapoint("one", "B"),
    datapoint("two", badLabel ? "C" : "B"),
  ];
  return Buffer.from(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
}

test("an admin uploads JSONL: a bad line imports nothing, a valid file becomes a public batch", async ({ page }) => {
  await signInAsDemo(page, "Demo Admin", "/admin/import");
  await page.goto("/admin/import");
  await expect(page.getByRole("heading", { name: "Import datapoints" })).toBeVisible();
  const file = page.getByLabel("JSONL file");
  const submit = page.getByRole("button", { name: "Import", exact: true });

  const bad = uniqueSlug("e2e-import-bad");
  await file.setInputFiles({ name: "bad.jsonl", mimeType: "application/jsonl", buffer: batchFile(bad, true) });
  await submit.click();
  await expect(page.getByTestId("import-error")).toHaveText("1 line has a problem. Nothing was imported.");
  await expect(page.getByTestId("import-line-3")).toContainText("proposedLabel");
  await expectNoSeriousA11yViolations(page);

  const good = uniqueSlug("e2e-import-ok");
  await file.setInputFiles({ name: "good.jsonl", mimeType: "application/jsonl", buffer: batchFile(good) });
  await submit.click();
  await expect(page.getByTestId("import-message")).toHaveText(`Imported 1 batch and 2 datapoints into ${good}.`);
  await expect(page.getByTestId("import-error")).toHaveCount(0);
  await expect(page.getByTestId("import-summary")).toContainText(good);

  await page.goto(`/datapoints?batch=${good}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Datapoints in E2E import ${good}`);
  await expect(page.getByRole("list", { name: "Datapoints" }).getByRole("listitem")).toHaveCount(2);
  await page.goto(`/datapoints?batch=${bad}`);
  await expect(page.getByText(`There is no public batch called “${bad}”.`)).toBeVisible();
});

test("the roles page links to the import page, which only admins may use", async ({ page, browser }) => {
  await signInAsDemo(page, "Demo Admin", "/admin/roles");
  await page.goto("/admin/roles");
  await page.getByRole("link", { name: "Import datapoints" }).click();
  await expect(page).toHaveURL(/\/admin\/import$/);

  const citizen = await browser.newPage();
  await signInByEmail(citizen, uniqueEmail("importer"));
  await citizen.goto("/admin/import");
  await expect(citizen.getByText("Only admins can import datapoints.")).toBeVisible();
  await expect(citizen.getByLabel("JSONL file")).toHaveCount(0);
});
