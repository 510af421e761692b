import { reads, type Db } from "@/lib/db";
import { optionsView } from "@/lib/datapoints/rules";
import { batchAgreement } from "@/lib/tally/agreement";
import { bridgingFlags } from "@/lib/tally/bridging";
import { DATAPOINT_KINDS, isSlug } from "@/lib/domain/schema";

export async function getBatch(slug: string) {
  if (!isSlug(slug)) return null;
  return reads.page(async (db) => {
    const batch = await db.batch.findUnique({
      where: { slug },
      include: {
        policy: { select: { name: true, version: true, contentHash: true } },
        _count: { select: { datapoints: { where: { status: { not: "DRAFT" } } } } },
      },
    });
    if (!batch) return null;
    return { ...batch, datapointCount: batch._count.datapoints, policyChanges: await policyChanges(db, batch.id) };
  });
}

/** The batch's policy changes, from the audit log itself (the public record of them). */
async function policyChanges(db: Db, batchId: string) {
  const rows = await db.$queryRaw<{ seq: bigint; body: string }[]>`
    SELECT seq, body FROM audit_events
    WHERE type = 'batch.policy_changed' AND (body::jsonb ->> 'batchId') = ${batchId}
    ORDER BY seq`;
  const hashes = new Set<string>();
  const changes = rows.map((row) => {
    const body = JSON.parse(row.body) as { at: string; policyHash: string; previousPolicyHash: string; reason: string };
    hashes.add(body.policyHash).add(body.previousPolicyHash);
    return { ...body, seq: row.seq, at: new Date(body.at) };
  });
  const names = new Map(
    (
      await db.votingPolicy.findMany({
        where: { contentHash: { in: [...hashes] } },
        select: { contentHash: true, name: true, version: true },
      })
    ).map((p) => [p.contentHash, `${p.name} v${p.version}`]),
  );
  return changes.map((c) => ({
    ...c,
    policyName: names.get(c.policyHash) ?? c.policyHash,
    previousName: names.get(c.previousPolicyHash) ?? c.previousPolicyHash,
  }));
}

const LEVEL = { PAIRWISE: "nominal", CLASSIFICATION: "nominal", RATING: "interval" } as const;

/** Krippendorff's α over the batch's current votes, one figure per kind of datapoint. */
export async function batchAgreementByKind(batchId: string) {
  const votes = await reads.page((db) =>
    db.vote.findMany({
      where: { datapoint: { batchId, status: { not: "DRAFT" } } },
      select: { datapointId: true, userId: true, option: true, datapoint: { select: { kind: true } } },
    }),
  );
  return DATAPOINT_KINDS.flatMap((kind) => {
    const ofKind = votes
      .filter((v) => v.datapoint.kind === kind)
      .map((v) => ({ datapointId: v.datapointId, voterId: v.userId, option: v.option }));
    if (ofKind.length === 0) return [];
    const { alpha, pairable, datapoints } = batchAgreement(ofKind, LEVEL[kind]);
    return [{ kind, level: LEVEL[kind], alpha, pairable, datapoints: datapoints.length }];
  });
}

/** The advisory bridging check over the batch's current votes (it never decides a label). */
export async function batchBridging(batchId: string) {
  const [datapoints, votes] = await reads.page((db) =>
    Promise.all([
      db.datapoint.findMany({
        where: { batchId, status: { not: "DRAFT" } },
        select: { id: true, title: true, kind: true, labelOptions: true },
      }),
      db.vote.findMany({
        where: { datapoint: { batchId, status: { not: "DRAFT" } } },
        select: { datapointId: true, userId: true, option: true },
      }),
    ]),
  );
  const report = bridgingFlags(
    datapoints.map((d) => ({
      datapointId: d.id,
      options: optionsView(d.kind, d.labelOptions).options.map((o) => o.id),
    })),
    votes.map((v) => ({ datapointId: v.datapointId, voterId: v.userId, option: v.option })),
  );
  const titles = new Map(datapoints.map((d) => [d.id, d.title]));
  return {
    converged: report.converged,
    oneSided: report.flags
      .filter((f) => f.flag === "ONE_SIDED")
      .map((f) => ({ ...f, title: titles.get(f.datapointId) ?? "" })),
  };
}
