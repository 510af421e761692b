// The public facts a tally is computed from. Callers (the decision service, the offline
// recompute script) parse with these schemas at the boundary; the engine takes parsed types.
import { z } from "zod";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { sha256Hex } from "@/lib/domain/schema";

const id = z.string().min(1).max(200);
const instant = z.iso.datetime({ offset: true });
const sha256 = sha256Hex();

/** A cast vote. A voter's latest vote at or before `asOf` counts; later ones are ignored. */
const voteFactSchema = z.strictObject({
  voterId: id,
  option: z.string().min(1),
  at: instant,
});

/** What the policies may know about a voter: only public or self-declared, coarse facts. */
const voterFactsSchema = z.strictObject({
  voterId: id,
  createdAt: instant,
  verificationTier: z.int().min(0),
  /** Declared stratum code per dimension ("region" → "europe"), or null when undeclared. */
  strata: z.record(z.string(), z.string()).nullable(),
});

/**
 * Votes on moderator-finalized datapoints: the reliability policy's evidence. `options` are
 * the datapoint's published options, which a policy with `optionSpace: "offered"` needs.
 */
const reliabilityHistorySchema = z.strictObject({
  finalized: z.array(
    z.strictObject({
      datapointId: id,
      label: z.string().min(1),
      options: z.array(z.string().min(1)).min(1).optional(),
    }),
  ),
  votes: z.array(z.strictObject({ datapointId: id, voterId: id, option: z.string().min(1) })),
});

const distinct = (values: string[]) => new Set(values).size === values.length;

export const tallyInputSchema = z.strictObject({
  datapointId: id,
  /** Options in display order (the order of the output's per-option rows). */
  options: z.array(z.string().min(1)).min(1).refine(distinct, "options must be distinct"),
  votes: z.array(voteFactSchema),
  voters: z.array(voterFactsSchema),
  policy: policyDocumentSchema,
  /** Hex SHA-256 of the policy's canonical JSON, as published; the engine checks it. */
  policyHash: sha256,
  asOf: instant,
  /** Required by the reliability policy, ignored by the others. */
  reliability: reliabilityHistorySchema.nullable(),
});

/** @public The batch tally's input, as a schema (TallyBatchInput is its type). */
export const tallyBatchInputSchema = z.strictObject({
  datapoints: z.array(z.strictObject({ datapointId: id, options: tallyInputSchema.shape.options })),
  votes: z.array(voteFactSchema.extend({ datapointId: id })),
  voters: tallyInputSchema.shape.voters,
  policy: policyDocumentSchema,
  policyHash: sha256,
  asOf: instant,
  reliability: reliabilityHistorySchema.nullable(),
});

export type VoterFacts = z.infer<typeof voterFactsSchema>;
export type ReliabilityHistory = z.infer<typeof reliabilityHistorySchema>;
export type TallyInput = z.infer<typeof tallyInputSchema>;
export type TallyBatchInput = z.infer<typeof tallyBatchInputSchema>;
