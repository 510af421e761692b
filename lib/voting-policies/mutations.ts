import { appendEvent } from "@/lib/audit/append";
import { canonicalJson } from "@/lib/audit/canonical";
import { sha256Hex } from "@/lib/audit/hash";
import type { Tx } from "@/lib/database/types";
import type { PolicyKind } from "@/lib/generated/prisma/enums";
import type { PolicyDocument } from "./schema";

const KIND: Record<PolicyDocument["kind"], PolicyKind> = {
  equal: "EQUAL",
  "trust-tier": "TRUST_TIER",
  reliability: "RELIABILITY",
  representative: "REPRESENTATIVE",
};

export type PublishPolicyResult =
  | { ok: true; policyId: string; contentHash: string; created: boolean }
  | { ok: false; reason: "VERSION_TAKEN"; message: string };

/** Publish a policy document; publishing the identical document again is a no-op. */
export async function publishPolicyIn(
  tx: Tx,
  document: PolicyDocument,
  actorId: string | null,
): Promise<PublishPolicyResult> {
  const text = canonicalJson(document);
  const contentHash = sha256Hex(text);
  const same = await tx.votingPolicy.findUnique({ where: { contentHash } });
  if (same) return { ok: true, policyId: same.id, contentHash, created: false };

  const taken = await tx.votingPolicy.findUnique({
    where: { name_version: { name: document.name, version: document.version } },
  });
  if (taken) {
    return {
      ok: false,
      reason: "VERSION_TAKEN",
      message: `Policy ${document.name} version ${document.version} is already published with other content; publish a new version.`,
    };
  }
  const policy = await tx.votingPolicy.create({
    data: {
      name: document.name,
      version: document.version,
      kind: KIND[document.kind],
      document: text,
      contentHash,
      publishedById: actorId,
    },
  });
  await appendEvent(tx, {
    type: "policy.published",
    actorId,
    policyId: policy.id,
    name: policy.name,
    version: policy.version,
    contentHash,
    document: JSON.parse(text),
  });
  return { ok: true, policyId: policy.id, contentHash, created: true };
}
