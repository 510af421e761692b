// Which published rules compute a policy document (lib/tally/SPEC.md, versioned), and the
// parameters plenary-tally/1 fixed in code. A document without `specification` predates
// the field: it is computed under plenary-tally/1 with exactly these values, so that every
// decision recorded under it recomputes byte for byte. Every other document states them.
import type { Bootstrap, PolicyDocument, ReliabilityPolicy } from "@/lib/voting-policies/schema";

export type Specification = "plenary-tally/1" | "plenary-tally/2";

export type ReliabilityModel = {
  optionSpace: "observed" | "offered";
  accuracyBound: number;
};

/** SPEC.md, "plenary-tally/1": the values its documents do not state. */
const FIRST_EDITION = {
  bootstrap: { resamples: 200, level: 0.95 },
  reliability: { optionSpace: "observed", accuracyBound: 1e-6 },
} as const;

/** The specification a document is computed under: the tally's `engine`. */
export function specificationOf(policy: PolicyDocument): Specification {
  return policy.specification ?? "plenary-tally/1";
}

function stated<T>(policy: PolicyDocument, field: string, value: T | undefined, firstEdition: T): T {
  if (value !== undefined) return value;
  if (policy.specification === undefined) return firstEdition;
  throw new TypeError(`${field} is required under ${policy.specification}`);
}

export function bootstrapOf(policy: PolicyDocument): Bootstrap {
  return stated(policy, "bootstrap", policy.bootstrap, FIRST_EDITION.bootstrap);
}

export function reliabilityModelOf(policy: ReliabilityPolicy): ReliabilityModel {
  return {
    optionSpace: stated(policy, "optionSpace", policy.optionSpace, FIRST_EDITION.reliability.optionSpace),
    accuracyBound: stated(policy, "accuracyBound", policy.accuracyBound, FIRST_EDITION.reliability.accuracyBound),
  };
}

/**
 * Whether the representative cap is relative to the declared voters' mean (trim and
 * redistribute after every raking pass) rather than, as in plenary-tally/1, an absolute
 * clip after every pass that let the mean fall below 1.
 */
export function capsRelativeToMean(policy: PolicyDocument): boolean {
  return specificationOf(policy) !== "plenary-tally/1";
}
