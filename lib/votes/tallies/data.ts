// Tally inputs read from the tables, for live tallies (the datapoint page, the moderator's
// queue). The same facts are in the audit log; lib/tally/from-log.ts rebuilds them from
// there, and a test holds the two paths to byte-identical outputs.
import { db, reads } from "@/lib/db";
import type { Tx } from "@/lib/database/types";
import { optionsView } from "@/lib/datapoints/rules";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import type { ReliabilityHistory, TallyInput } from "@/lib/tally/schema";
import { tallyDatapoint, type TallyOutput } from "@/lib/tally/tally";

/** `client`: pass the caller's transaction to read the same snapshot it decides on. */
export async function tallyInputFromTables(
  datapointId: string,
  asOf: Date,
  client: Tx = db,
): Promise<TallyInput | null> {
  // One round of queries: the datapoint with its policy, and the votes with their voters (a
  // voter has one vote per datapoint). A draft has no votes, so reading them first is free.
  const [datapoint, votes] = await Promise.all([
    client.datapoint.findFirst({
      where: { id: datapointId, status: { not: "DRAFT" } },
      select: {
        kind: true,
        labelOptions: true,
        batch: { select: { policy: { select: { document: true, contentHash: true } } } },
      },
    }),
    client.vote.findMany({
      where: { datapointId, updatedAt: { lte: asOf } },
      select: {
        userId: true,
        option: true,
        updatedAt: true,
        user: { select: { createdAt: true, verificationTier: true, strata: true } },
      },
    }),
  ]);
  if (!datapoint) return null;
  const voters = votes.map((v) => ({ id: v.userId, ...v.user }));
  const policy = policyDocumentSchema.parse(JSON.parse(datapoint.batch.policy.document));
  return {
    datapointId,
    options: optionsView(datapoint.kind, datapoint.labelOptions).options.map((o) => o.id),
    votes: votes.map((v) => ({ voterId: v.userId, option: v.option, at: v.updatedAt.toISOString() })),
    voters: voters.map((u) => ({
      voterId: u.id,
      createdAt: u.createdAt.toISOString(),
      verificationTier: u.verificationTier,
      strata: (u.strata as Record<string, string> | null) ?? null,
    })),
    policy,
    policyHash: datapoint.batch.policy.contentHash,
    asOf: asOf.toISOString(),
    reliability: policy.kind === "reliability" ? await reliabilityHistory(client) : null,
  };
}

/**
 * Votes on datapoints with a final decision, with those labels and the datapoints' options:
 * the reliability evidence (what TallyFacts.history gives from the log).
 */
async function reliabilityHistory(client: Tx = db): Promise<ReliabilityHistory> {
  const decisions = await client.decision.findMany({
    where: { status: "FINAL" },
    select: { datapointId: true, label: true, datapoint: { select: { kind: true, labelOptions: true } } },
  });
  const votes = await client.vote.findMany({
    where: { datapointId: { in: decisions.map((d) => d.datapointId) } },
    select: { datapointId: true, userId: true, option: true },
  });
  return {
    finalized: decisions.map(({ datapointId, label, datapoint }) => ({
      datapointId,
      label,
      options: optionsView(datapoint.kind, datapoint.labelOptions).options.map((o) => o.id),
    })),
    votes: votes.map((v) => ({ datapointId: v.datapointId, voterId: v.userId, option: v.option })),
  };
}

/** The datapoint's tally now, under its batch's current policy. */
export async function currentTally(datapointId: string, asOf = new Date()): Promise<TallyOutput | null> {
  const input = await reads.page((db) => tallyInputFromTables(datapointId, asOf, db));
  return input ? tallyDatapoint(input) : null;
}
