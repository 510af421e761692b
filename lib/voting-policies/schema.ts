// Voting policy documents: versioned JSON, validated here, stored as canonical JSON and
// referenced by content hash. Every policy carries its quorum and margin thresholds; the
// tally engine (lib/tally) reads nothing but these documents and public facts. A document
// names the published specification it is computed under (lib/tally/SPEC.md): the document
// holds the parameters, the specification the algorithms, and the two determine every
// weight and outcome. Documents published before the field existed have no `specification`
// and are computed under plenary-tally/1, whose fixed values the specification lists; they
// may not carry the fields plenary-tally/2 added, and plenary-tally/2 requires them.
import { z } from "zod";
import { slug } from "@/lib/domain/schema";

const policySlug = slug();
/** Coarse stratum codes and dimension names, e.g. "region" / "eu", "age" / "35-54". */
const stratumCode = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/)
  .max(40);

const thresholdsSchema = z.strictObject({
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

/** The specification a document may name; a document without one is plenary-tally/1. */
export const SPECIFICATION = "plenary-tally/2";

/**
 * The bootstrap behind a tally's margin interval and flip probability: `resamples` draws,
 * and a central `level` interval whose tails hold a whole number of resamples each.
 */
const bootstrapSchema = z
  .strictObject({
    resamples: z.int().min(1).max(10_000),
    level: z.number().gt(0).lt(1),
  })
  .refine(
    ({ resamples, level }) => {
      const tail = (resamples * (1 - level)) / 2;
      return Math.round(tail) >= 1 && Math.abs(tail - Math.round(tail)) <= 1e-9;
    },
    { message: "resamples × (1 − level) / 2 must be a whole number of at least 1", path: ["level"] },
  );

const documentShape = {
  name: policySlug,
  version: z.int().min(1),
  description: z.string().max(2_000),
  specification: z.literal(SPECIFICATION).optional(),
  bootstrap: bootstrapSchema.optional(),
  ...thresholdsSchema.shape,
};

/**
 * Fields a document states under plenary-tally/2 and must not state without it (plenary-tally/1
 * fixed their values in code, and the specification lists them).
 */
function statedUnderSpecification(fields: string[]) {
  return (policy: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const explicit = policy.specification !== undefined;
    for (const field of ["bootstrap", ...fields]) {
      if (explicit && policy[field] === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is required under ${SPECIFICATION}` });
      } else if (!explicit && policy[field] !== undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `${field} needs "specification": "${SPECIFICATION}"` });
      }
    }
  };
}

/** Fixed-point iterations (EM, raking) stop at `tolerance` or after `maxIterations`. */
const iterationShape = {
  tolerance: z.number().positive().max(0.1),
  maxIterations: z.int().min(1).max(1_000),
};

/** One voter, one vote. */
const equalPolicySchema = z
  .strictObject({
    ...documentShape,
    kind: z.literal("equal"),
  })
  .superRefine(statedUnderSpecification([]));

/** Weight by verification tier, ramped in for new accounts, capped. */
const trustTierPolicySchema = z
  .strictObject({
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
  })
  .superRefine(statedUnderSpecification([]));

/** Weight by accuracy on moderator-finalized datapoints, estimated by Dawid–Skene EM. */
const reliabilityPolicySchema = z
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
    /**
     * The options the model spreads a wrong vote over on each finalized datapoint: "observed",
     * its final label and the options its voters chose; "offered", its published options (and
     * the final label). Either way at least two, an unseen one added if need be.
     */
    optionSpace: z.enum(["observed", "offered"]).optional(),
    /** Estimated accuracies are kept within [accuracyBound, 1 − accuracyBound]. */
    accuracyBound: z.number().gt(0).max(0.01).optional(),
    ...iterationShape,
  })
  .refine((policy) => policy.floorWeight <= policy.cap, {
    message: "floorWeight must not exceed cap",
    path: ["floorWeight"],
  })
  .superRefine(statedUnderSpecification(["optionSpace", "accuracyBound"]));

/** Post-stratification by raking voters' declared strata to published target margins. */
export const representativePolicySchema = z
  .strictObject({
    ...documentShape,
    kind: z.literal("representative"),
    /** Target share of each stratum code, per dimension; each dimension's shares sum to 1. */
    targets: z.record(stratumCode, z.record(stratumCode, z.number().positive().max(1))),
    /**
     * No declared voter weighs more than this multiple of the mean weight of the datapoint's
     * declared voters, which raking holds at 1. (Under plenary-tally/1 it bounded each raked
     * weight absolutely after every pass, which let the mean fall below 1: see the spec.)
     */
    cap: z.number().min(1).max(1_000),
    /** Weight of a voter who declared no strata (or not every dimension the policy rakes on). */
    undeclaredWeight: z.number().min(0).max(1_000),
    ...iterationShape,
  })
  .refine((policy) => Object.keys(policy.targets).length > 0, {
    message: "targets need at least one dimension",
    path: ["targets"],
  })
  .refine(
    (policy) =>
      Object.values(policy.targets).every(
        (codes) => Math.abs(Object.values(codes).reduce((sum, share) => sum + share, 0) - 1) <= 1e-9,
      ),
    { message: "each dimension's target shares must sum to 1", path: ["targets"] },
  )
  .refine((policy) => policy.undeclaredWeight <= policy.cap, {
    message: "undeclaredWeight must not exceed cap",
    path: ["undeclaredWeight"],
  })
  .superRefine(statedUnderSpecification([]));

export const policyDocumentSchema = z.discriminatedUnion("kind", [
  equalPolicySchema,
  trustTierPolicySchema,
  reliabilityPolicySchema,
  representativePolicySchema,
]);

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type Bootstrap = z.infer<typeof bootstrapSchema>;
export type TrustTierPolicy = z.infer<typeof trustTierPolicySchema>;
export type ReliabilityPolicy = z.infer<typeof reliabilityPolicySchema>;
export type RepresentativePolicy = z.infer<typeof representativePolicySchema>;
