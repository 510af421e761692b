import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { finalizeDecision } from "@/lib/decisions/mutations";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { batchResearch } from "./data";
import { THRESHOLDS } from "./rules";
import { xmlProblems } from "./svg-check";
import { GET as researchChart } from "@/app/api/research/[slug]/[chart]/route";
import { callRoute } from "@/lib/testing/routes";

const RATIONALE = "The public vote is clear and the discussion raised no new facts.";

async function vote(datapointId: string, options: string[]) {
  for (const option of options) {
    const voter = await makeUser();
    expect(
      await castVote({ datapointId, option, rationale: null, idempotencyKey: randomUUID() }, voter.id),
    ).toMatchObject({ ok: true });
  }
}

/** A closed batch: pairwise 4:1 for A and classification 3:0 finalized; the rating below quorum, left open. */
async function moderatedBatch() {
  const batch = await makeBatch();
  await vote(batch.pairwise, ["A", "A", "A", "A", "B"]);
  await vote(batch.classification, ["over_refusal", "over_refusal", "over_refusal"]);
  await vote(batch.rating, ["4"]);
  const [moderator, admin] = await Promise.all([makeUser("MODERATOR"), makeUser("ADMIN")]);
  const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
  expect(await closeBatchNow(batchId, admin.id)).toMatchObject({ ok: true });
  for (const datapointId of [batch.pairwise, batch.classification]) {
    expect(await finalizeDecision({ mode: "accept", datapointId, rationale: RATIONALE }, moderator.id)).toMatchObject({
      ok: true,
      status: "FINAL",
    });
  }
  return { ...batch, batchId };
}

const chart = (slug: string, file: string) =>
  callRoute(researchChart, `/api/research/${encodeURIComponent(slug)}/${encodeURIComponent(file)}`, {
    slug,
    chart: file,
  });

describe("batch research data", () => {
  it("returns the batch's finalized labels with the numbers of their recorded tallies", async () => {
    const batch = await moderatedBatch();
    await moderatedBatch(); // another batch's decisions stay out
    const research = await batchResearch(batch.slug);
    expect(research?.batch).toMatchObject({ id: batch.batchId, slug: batch.slug, publishedDatapoints: 3 });
    expect(research!.labels.map((l) => l.datapointId).sort()).toEqual([batch.pairwise, batch.classification].sort());
    const pairwise = research!.labels.find((l) => l.datapointId === batch.pairwise)!;
    expect(pairwise).toMatchObject({ label: "A", votes: 5, majorityShare: 0.8, margin: 0.6 });
    expect(pairwise.hoursToDecision).toBeGreaterThanOrEqual(0);
    expect(pairwise.hoursToDecision).toBeLessThan(1);
    const decision = await db.decision.findFirstOrThrow({ where: { datapointId: batch.pairwise, status: "FINAL" } });
    expect(pairwise.decisionId).toBe(decision.id);
    const recorded = JSON.parse(decision.tally) as { manipulationCost: { accounts: number | null } };
    expect(pairwise.manipulationCost.accounts).toBe(recorded.manipulationCost.accounts);
    expect(research!.labels.find((l) => l.datapointId === batch.classification)).toMatchObject({
      label: "over_refusal",
      votes: 3,
      majorityShare: 1,
      margin: 1,
    });
  });

  it("is empty for a batch without decisions, and null for no batch", async () => {
    const batch = await makeBatch();
    expect(await batchResearch(batch.slug)).toMatchObject({ labels: [], batch: { publishedDatapoints: 3 } });
    expect(await batchResearch("no-such-batch")).toBeNull();
    expect(await batchResearch("Not A Slug")).toBeNull();
  });
});

describe("chart downloads", () => {
  it("answer a chart's CSV with a header and one row per point", async () => {
    const batch = await moderatedBatch();
    const response = await chart(batch.slug, "quality-quantity.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toContain(`${batch.slug}-quality-quantity.csv`);
    const lines = (await response.text()).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("threshold,labels_kept_by_majority_share,labels_kept_by_margin");
    expect(lines).toHaveLength(THRESHOLDS.length + 1);
    expect(lines[1]).toBe("0,2,2");
    expect(lines).toContain("0.8,2,1");

    const votes = (await (await chart(batch.slug, "votes-per-label.csv")).text()).split("\r\n").filter(Boolean);
    expect(votes[0]).toBe("bin,lower_votes,upper_votes,labels");
    expect(votes).toContain("3,3,4,1");
    expect(votes).toContain("5,5,6,1");
  });

  it("answer a chart's SVG, well-formed and titled, for a populated and an empty batch", async () => {
    const batch = await moderatedBatch();
    const empty = await makeBatch();
    for (const slug of [batch.slug, empty.slug]) {
      const response = await chart(slug, "agreement.svg");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      const svg = await response.text();
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).toContain('<title id="research-agreement-title">Agreement distribution — ');
      expect(svg).toContain(">Agreement distribution</text>");
    }
  });

  it("refuse an unknown batch or chart with a 404 problem", async () => {
    const batch = await makeBatch();
    for (const [slug, file] of [
      ["no-such-batch", "agreement.csv"],
      [batch.slug, "pie.csv"],
      [batch.slug, "agreement.png"],
      ["Bad Slug", "agreement.csv"],
    ] as const) {
      const response = await chart(slug, file);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 404, title: "Not Found", detail: expect.any(String) });
    }
  });
});
