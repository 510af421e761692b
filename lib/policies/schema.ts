// Voting policy documents: versioned JSON, validated here, stored as canonical JSON and
// referenced by content hash. Every policy carries its quorum and margin thresholds; the
// tally engine (lib/tally) reads nothing but these documents and public facts, so every
// number a policy needs is spelled out here rather than defaulted in code.
import { z } from "zod";

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80);
/** Coarse stratum codes and dimension names, e.g. "region" / "eu", "age" / "35-54". */
const stratumCode = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/).max(40);

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

const documentShape = {
  name: slug,
  version: z.int().min(1),
  description: z.string().max(2_000),
  ...thresholdsSchema.shape,
};

/** Fixed-point iterations (EM, raking) stop at `tolerance` or after `maxIterations`. */
const iterationShape = {
  tolerance: z.number().positive().max(0.1),
  maxIterations: z.int().min(1).max(1_000),
};

/** One voter, one vote. */
export const equalPolicySchema = z.strictObject({
  ...documentShape,
  kind: z.literal("equal"),
});

/** Weight by verification tier, ramped in for new accounts, capped. */
export const trustTierPolicySchema = z.strictObject({
  ...documentShape,
  kind: z.literal("trust-tier"),
  /** Weight of verification tier i at index i; tiers past the end take the last entry. */
  tierWeights: z.array(z.number().min(0).max(1_000)).min(1).max(20),
  /**
   * A new account starts at `floor` × its tier weight and reaches the full weight linearly
   * after `days` days (measured at the tally's `asOf`), so fresh sock puppets count little.
   */
  newAccountRamp: z.strictObject({
    days: z.number().min(0).max(3_650),
    floor: z.number().min(0).max(1),
  }),
  /** No voter weighs more than this. */
  cap: z.number().positive().max(1_000),
});

/** Weight by accuracy on moderator-finalized datapoints, estimated by Dawid–Skene EM. */
export const reliabilityPolicySchema = z
  .strictObject({
    ...documentShape,
    kind: z.literal("reliability"),
    /** Weight of a voter without history, and the least any voter weighs. */
    floorWeight: z.number().min(0).max(1_000),
    /** No voter weighs more than this (log-odds of accuracy are clipped to [floorWeight, cap]). */
    cap: z.number().positive().max(1_000),
    /** Prior probability that a moderator's final label is the true one (the EM's label prior). */
    finalLabelTrust: z.number().gt(0).lt(1),
    /** Pseudo-votes, half agreeing and half not, so that a short history cannot claim certainty. */
    smoothing: z.number().min(0).max(1_000),
    ...iterationShape,
  })
  .refine((policy) => policy.floorWeight <= policy.cap, { message: "floorWeight must not exceed cap", path: ["floorWeight"] });

/** Post-stratification by raking voters' declared strata to published target margins. */
export const representativePolicySchema = z
  .strictObject({
    ...documentShape,
    kind: z.literal("representative"),
    /** Target share of each stratum code, per dimension; each dimension's shares sum to 1. */
    targets: z.record(stratumCode, z.record(stratumCode, z.number().positive().max(1))),
    /** No raked weight exceeds this multiple of the mean raked weight (1). */
    cap: z.number().min(1).max(1_000),
    /** Weight of a voter who declared no strata (or not every dimension the policy rakes on). */
    undeclaredWeight: z.number().min(0).max(1_000),
    ...iterationShape,
  })
  .refine((policy) => Object.keys(policy.targets).length > 0, { message: "targets need at least one dimension", path: ["targets"] })
  .refine(
    (policy) => Object.values(policy.targets).every((codes) => Math.abs(Object.values(codes).reduce((sum, share) => sum + share, 0) - 1) <= 1e-9),
    { message: "each dimension's target shares must sum to 1", path: ["targets"] },
  )
  .refine((policy) => policy.undeclaredWeight <= policy.cap, { message: "undeclaredWeight must not exceed cap", path: ["undeclaredWeight"] });

export const policyDocumentSchema = z.discriminatedUnion("kind", [
  equalPolicySchema,
  trustTierPolicySchema,
  reliabilityPolicySchema,
  representativePolicySchema,
]);

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type TrustTierPolicy = z.infer<typeof trustTierPolicySchema>;
export type ReliabilityPolicy = z.infer<typeof reliabilityPolicySchema>;
export type RepresentativePolicy = z.infer<typeof representativePolicySchema>;
