import { db } from "@/lib/db";

export async function getBatch(slug: string) {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const batch = await db.batch.findUnique({
    where: { slug },
    include: {
      policy: { select: { name: true, version: true, contentHash: true } },
      _count: { select: { datapoints: { where: { status: { not: "DRAFT" } } } } },
    },
  });
  if (!batch) return null;
  return { ...batch, datapointCount: batch._count.datapoints, policyChanges: await policyChanges(batch.id) };
}

/** The batch's policy changes, from the audit log itself (the public record of them). */
async function policyChanges(batchId: string) {
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
    (await db.votingPolicy.findMany({ where: { contentHash: { in: [...hashes] } }, select: { contentHash: true, name: true, version: true } })).map(
      (p) => [p.contentHash, `${p.name} v${p.version}`],
    ),
  );
  return changes.map((c) => ({ ...c, policyName: names.get(c.policyHash) ?? c.policyHash, previousName: names.get(c.previousPolicyHash) ?? c.previousPolicyHash }));
}
