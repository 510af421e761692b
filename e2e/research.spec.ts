import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./axe";
import { closedBatch } from "./factories";
import { signInAsDemo } from "./pages";

const CHARTS = [
  { id: "quality-quantity", title: "Quality–quantity curve" },
  { id: "agreement", title: "Agreement distribution" },
  { id: "votes-per-label", title: "Votes per label" },
  { id: "time-to-decision", title: "Time to decision" },
  { id: "manipulation-cost", title: "Manipulation cost" },
];

test("a batch's research page: empty until a label is final, then five accessible charts with downloads", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const batch = closedBatch();

  // Before any decision: a clear message, no charts.
  await page.goto(`/batches/${batch.slug}`);
  await page.getByRole("link", { name: "Research: agreement and quality plots →" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Research: agreement and quality" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "The quality–quantity trade-off" })).toBeVisible();
  await expect(page.getByTestId("research-empty")).toContainText("No label in this batch is final yet");
  await expect(page.getByRole("main").getByRole("img")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // A moderator finalizes the pairwise label (4:1 for A) through the moderation page.
  await signInAsDemo(page, "Demo Moderator", `/moderation/datapoints/${batch.pairwise}`);
  await page
    .getByLabel("Rationale (published)")
    .first()
    .fill("Four of five voters preferred A, and the discussion raised no safety issue.");
  await page.getByRole("button", { name: "Finalize “A is better”" }).click();
  await expect(page.getByText("The label is final. An accepted appeal can reopen it.")).toBeVisible();

  await page.goto(`/batches/${batch.slug}/research`);
  await expect(page.getByTestId("research-empty")).toHaveCount(0);
  await expect(page.getByTestId("research-summary")).toContainText("1 of 3 published datapoints");
  for (const { id, title } of CHARTS) {
    const section = page.getByRole("region", { name: title, exact: true });
    await expect(section.getByRole("img", { name: title, exact: true })).toBeVisible();
    await expect(section.getByTestId(`table-${id}`)).toBeAttached();
  }
  // The data table alternative opens under its chart.
  const curve = page.getByRole("region", { name: "Quality–quantity curve", exact: true });
  await curve.getByText("Data table").click();
  const table = curve.getByRole("table", { name: "Quality–quantity curve: the data behind the chart" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(22); // header + thresholds 0, 0.05, …, 1
  await expect(table.getByRole("row").nth(1).getByRole("cell")).toHaveText(["1", "1"]); // at threshold 0 every label is kept
  await expectNoSeriousA11yViolations(page);

  // Every chart downloads as CSV and as an SVG image.
  for (const { title } of CHARTS) {
    const name = title.toLowerCase();
    const csvHref = await page.getByRole("link", { name: `CSV data of the ${name}`, exact: true }).getAttribute("href");
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect((await csv.text()).split("\r\n")[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);

    const svgHref = await page
      .getByRole("link", { name: `SVG image of the ${name}`, exact: true })
      .getAttribute("href");
    const svg = await page.request.get(svgHref!);
    expect(svg.status()).toBe(200);
    expect(svg.headers()["content-type"]).toContain("image/svg+xml");
    const parsed = await page.evaluate(
      (text) => {
        const doc = new DOMParser().parseFromString(text, "image/svg+xml");
        return {
          error: doc.querySelector("parsererror") !== null,
          title: doc.querySelector("svg > title")?.textContent ?? "",
        };
      },
      await svg.text(),
    );
    expect(parsed.error).toBe(false);
    expect(parsed.title).toContain(title);
  }

  const missing = await page.request.get(`/api/research/${batch.slug}/pie.svg`);
  expect(missing.status()).toBe(404);
  expect(missing.headers()["content-type"]).toContain("application/problem+json");
});
