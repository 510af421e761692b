import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { PolicyDocument } from "@/lib/voting-policies/schema";
import { tallyDatapoint } from "@/lib/tally/tally";
import { DATASET_COLUMNS } from "./columns";
import { decisionRow, decisionStatusAt, voteRow, type DecisionRecord } from "./records";
import { contextTurns, datasetRow, preferencePair, tallyMetrics, type DatasetRecord } from "./rules";

const policy: PolicyDocument = {
  name: "equal",
  kind: "equal",
  version: 1,
  description: "test",
  quorum: { minVotes: 3, minWeight: 1 },
  margin: { minShare: 0.1 },
};
const at = "2026-11-27T09:00:00.000Z";

/** A real tally output: four votes for `winner`, one for the other option. */
function tally(winner: string, options = ["A", "B", "TIE", "BOTH_BAD"]): string {
  const other = options.find((o) => o !== winner)!;
  const votes = ["v1", "v2", "v3", "v4", "v5"].map((voterId, i) => ({ voterId, option: i < 4 ? winner : other, at }));
  return canonicalJson(
    tallyDatapoint({
      datapointId: "dp-1",
      options,
      votes,
      voters: votes.map(({ voterId }) => ({ voterId, createdAt: at, verificationTier: 0, strata: null })),
      policy,
      policyHash: sha256Hex(canonicalJson(policy)),
      asOf: at,
      reliability: null,
    }),
  );
}

function record(label: string | null, kind: DatasetRecord["kind"] = "PAIRWISE"): DatasetRecord {
  return {
    id: "0195f3c2-0000-7000-8000-000000000001",
    externalId: "ext-1",
    batch: "batch-1",
    kind,
    category: "helpfulness",
    title: "Eggs",
    prompt: "How do I boil an egg?",
    context: null,
    responses: [
      { id: "A", text: "Simmer 9 minutes." },
      { id: "B", text: "Microwave it." },
    ],
    labelOptions: { options: [] },
    proposedLabel: "A",
    contentHash: "c".repeat(64),
    decision: label
      ? {
          id: "dec-1",
          label,
          policyHash: "p".repeat(64),
          tally: tally(label === "A" || label === "B" ? label : "A"),
          isOverride: false,
          decidedAt: new Date(at),
          finalizedSeq: 42n,
        }
      : null,
  };
}

describe("tally metrics", () => {
  it("reads agreement (head count), margin, interval, n_eff and the decided label from the recorded tally", () => {
    const metrics = tallyMetrics(tally("A"));
    expect(metrics).toMatchObject({ votes: 5, agreement: 0.8, tallyLabel: "A", nEff: 5 });
    expect(metrics.margin).toBeCloseTo(0.6, 12);
    expect(metrics.marginLower).toBeLessThanOrEqual(metrics.margin);
    expect(metrics.marginUpper).toBeGreaterThanOrEqual(metrics.margin);
  });

  it("refuses a tally that lacks the fields it reports", () => {
    expect(() => tallyMetrics('{"options":[]}')).toThrow();
  });
});

describe("dataset rows", () => {
  it("have exactly the columns of the CSV and Parquet table, in a fixed order", () => {
    expect(Object.keys(datasetRow(record("A")))).toEqual(DATASET_COLUMNS.map((c) => c.name));
    expect(new Set(DATASET_COLUMNS.map((c) => c.name)).size).toBe(DATASET_COLUMNS.length);
  });

  it("carry the final decision's label metadata, and nulls without one", () => {
    expect(datasetRow(record("A"))).toMatchObject({
      final_label: "A",
      tally_label: "A",
      decision_id: "dec-1",
      decided_at: at,
      finalized_seq: 42,
      votes: 5,
      agreement: 0.8,
      is_override: false,
    });
    const open = datasetRow(record(null));
    for (const key of [
      "final_label",
      "tally_label",
      "decision_id",
      "decided_at",
      "finalized_seq",
      "policy_hash",
      "votes",
      "agreement",
      "margin",
      "n_eff",
    ] as const) {
      expect(open[key], key).toBeNull();
    }
  });
});

describe("preference pairs", () => {
  it("map label A to chosen = response A, rejected = response B", () => {
    const pair = preferencePair(datasetRow(record("A")))!;
    expect([pair.prompt, pair.chosen, pair.rejected]).toEqual([
      "How do I boil an egg?",
      "Simmer 9 minutes.",
      "Microwave it.",
    ]);
    expect(pair.metadata).toMatchObject({
      chosen_id: "A",
      rejected_id: "B",
      final_label: "A",
      datapoint_id: record("A").id,
      external_id: "ext-1",
      batch: "batch-1",
    });
  });

  it("map label B to the reverse", () => {
    const pair = preferencePair(datasetRow(record("B")))!;
    expect([pair.chosen, pair.rejected, pair.metadata.chosen_id]).toEqual(["Microwave it.", "Simmer 9 minutes.", "B"]);
  });

  it("are not made from TIE, BOTH_BAD, undecided or non-pairwise rows", () => {
    for (const label of ["TIE", "BOTH_BAD", null])
      expect(preferencePair(datasetRow(record(label))), String(label)).toBeNull();
    expect(preferencePair(datasetRow(record("A", "RATING")))).toBeNull();
  });

  it("refuse a pairwise datapoint that lacks a response rather than invent one", () => {
    const broken = { ...record("A"), responses: [{ id: "A", text: "Only one." }] };
    expect(() => preferencePair(datasetRow(broken))).toThrow(/lacks response B/);
  });
});

describe("preference pairs with earlier turns", () => {
  const conversation = "User: Boiling eggs for a picnic.\nAssistant: Hard or soft?\nUser: Hard.\nAssistant: How many?";
  const withContext = (label: string, context: string) => preferencePair(datasetRow({ ...record(label), context }))!;

  it("keep the plain string format for a single turn, and for a context of only whitespace", () => {
    for (const context of [null, "", "  \n "]) {
      const pair = preferencePair(datasetRow({ ...record("A"), context }))!;
      expect([pair.prompt, pair.chosen, pair.rejected], JSON.stringify(context)).toEqual([
        "How do I boil an egg?",
        "Simmer 9 minutes.",
        "Microwave it.",
      ]);
    }
  });

  it("list the earlier turns in order with their roles, then the prompt as the last user message", () => {
    const pair = withContext("A", conversation);
    expect(pair.prompt).toEqual([
      { role: "user", content: "Boiling eggs for a picnic." },
      { role: "assistant", content: "Hard or soft?" },
      { role: "user", content: "Hard." },
      { role: "assistant", content: "How many?" },
      { role: "user", content: "How do I boil an egg?" },
    ]);
    expect(Object.keys(pair)).toEqual(["prompt", "chosen", "rejected", "metadata"]);
    expect((pair.prompt as object[]).map((message) => Object.keys(message))).toEqual(
      Array(5).fill(["role", "content"]),
    );
  });

  it("make chosen and rejected one assistant message each, by final label A and B", () => {
    const a = withContext("A", conversation);
    expect([a.chosen, a.rejected]).toEqual([
      [{ role: "assistant", content: "Simmer 9 minutes." }],
      [{ role: "assistant", content: "Microwave it." }],
    ]);
    const b = withContext("B", conversation);
    expect([b.chosen, b.rejected, b.metadata.chosen_id, b.metadata.rejected_id]).toEqual([
      [{ role: "assistant", content: "Microwave it." }],
      [{ role: "assistant", content: "Simmer 9 minutes." }],
      "B",
      "A",
    ]);
  });

  it("keep the context verbatim in metadata", () => {
    expect(withContext("A", conversation).metadata.context).toBe(conversation);
  });

  it("keep newlines, blank lines and code blocks inside a turn; only `User: ` and `Assistant: ` at a line's start begin one", () => {
    const context = [
      "User: This query is slow:",
      "",
      "```sql",
      "SELECT 1;",
      "```",
      "  User: indented is not a new turn",
      "User:no space is not one either",
      "user: nor lower case",
      "System: nor another role",
      "",
      "Assistant: Add an index:",
      "    CREATE INDEX ON orders (created_at);",
      "Then: re-run it. User: mid-line is content.",
    ].join("\n");
    expect(contextTurns(context)).toEqual([
      {
        role: "user",
        content:
          "This query is slow:\n\n```sql\nSELECT 1;\n```\n  User: indented is not a new turn\nUser:no space is not one either\nuser: nor lower case\nSystem: nor another role",
      },
      {
        role: "assistant",
        content: "Add an index:\n    CREATE INDEX ON orders (created_at);\nThen: re-run it. User: mid-line is content.",
      },
    ]);
  });

  it("keep consecutive turns of one role apart, as written (a context that ends with the user speaking)", () => {
    const pair = withContext("A", "User: Here is my table.\n\nUser: It has 80 million rows.");
    expect(pair.prompt).toEqual([
      { role: "user", content: "Here is my table." },
      { role: "user", content: "It has 80 million rows." },
      { role: "user", content: "How do I boil an egg?" },
    ]);
  });

  it("turn a context outside the convention into one earlier user message, whole, rather than guess or drop it", () => {
    const context = "System: This deployment has no tools.\nUser: a later marker does not split it";
    expect(withContext("A", `  ${context}\n`).prompt).toEqual([
      { role: "user", content: context },
      { role: "user", content: "How do I boil an egg?" },
    ]);
    expect(contextTurns("Earlier, the user asked about eggs.")).toEqual([
      { role: "user", content: "Earlier, the user asked about eggs." },
    ]);
  });
});

describe("decision records and votes", () => {
  const decision: DecisionRecord = {
    id: "dec-1",
    datapointId: "dp-1",
    externalId: "ext-1",
    batch: "batch-1",
    kind: "PAIRWISE",
    label: "B",
    isOverride: true,
    overrideReason: "FACTUAL_ERROR",
    rationale: "A is wrong.",
    moderatorId: "m-1",
    moderatorPseudonym: "calm-otter-0001",
    confirmedById: "m-2",
    confirmedByPseudonym: "tidy-wren-0002",
    confirmedAt: new Date(at),
    createdAt: new Date(at),
    policyHash: "p".repeat(64),
    lastSeq: 10n,
    voteDigest: "d".repeat(64),
    tally: tally("A"),
    recordedSeq: 11n,
    finalizedSeq: null,
    declinedSeq: null,
    reopenedSeq: null,
  };

  it("date a decision's status from its events up to the cut", () => {
    const none = { finalizedSeq: null, declinedSeq: null, reopenedSeq: null };
    expect(decisionStatusAt(none)).toBe("PENDING_CONFIRMATION");
    expect(decisionStatusAt({ ...none, finalizedSeq: 12n })).toBe("FINAL");
    expect(decisionStatusAt({ ...none, declinedSeq: 12n })).toBe("DECLINED");
    expect(decisionStatusAt({ ...none, finalizedSeq: 12n, reopenedSeq: 20n })).toBe("SUPERSEDED");
  });

  it("leave out a confirmation that came after the cut, and keep the tally text verbatim", () => {
    expect(decisionRow(decision)).toMatchObject({
      status: "PENDING_CONFIRMATION",
      confirmed_by_id: null,
      confirmed_at: null,
      tally: decision.tally,
    });
    expect(decisionRow({ ...decision, finalizedSeq: 12n })).toMatchObject({
      status: "FINAL",
      confirmed_by_id: "m-2",
      confirmed_by_pseudonym: "tidy-wren-0002",
      finalized_seq: 12,
    });
  });

  it("name raters by id and pseudonym, and rationales by hash only", () => {
    const row = voteRow({
      voteId: "v-1",
      raterId: "u-1",
      raterPseudonym: "calm-otter-0001",
      datapointId: "dp-1",
      externalId: "ext-1",
      batch: "b",
      kind: "PAIRWISE",
      option: "A",
      rationaleSha256: "r".repeat(64),
      shown: { order: ["B", "A"], proposedLabelVisible: true, tallyVisible: false },
      auditSeq: 7n,
      castAt: new Date(at),
    });
    expect(row).toEqual({
      vote_id: "v-1",
      rater_id: "u-1",
      rater_pseudonym: "calm-otter-0001",
      datapoint_id: "dp-1",
      external_id: "ext-1",
      batch: "b",
      kind: "PAIRWISE",
      option: "A",
      rationale_sha256: "r".repeat(64),
      shown: { order: ["B", "A"], proposedLabelVisible: true, tallyVisible: false },
      audit_seq: 7,
      cast_at: at,
    });
  });
});
