// Voting policy documents: versioned JSON, validated here, stored as canonical JSON and
// referenced by content hash. Every policy carries its quorum and margin thresholds.
import { z } from "zod";

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);

export const thresholdsSchema = z.strictObject({
  quorum: z.strictObject({
    /** Fewer votes than this: no decision (BELOW_QUORUM). */
    minVotes: z.int().min(1),
    /** Less total weight than this: no decision (BELOW_QUORUM). */
    minWeight: z.number().min(0),
  }),
  margin: z.strictObject({
    /** Winner's weighted share minus the runner-up's must reach this (0–1). */
    minShare: z.number().min(0).max(1),
  }),
});

export const equalPolicySchema = z.strictObject({
  name: slug,
  version: z.int().min(1),
  kind: z.literal("equal"),
  description: z.string().max(2_000),
  ...thresholdsSchema.shape,
});

export const policyDocumentSchema = z.discriminatedUnion("kind", [equalPolicySchema]);

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
