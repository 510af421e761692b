// The coarse strata a voter may choose to declare, for representative voting policies.
// Deliberately coarse and optional: a declaration is a choice, never inferred.
import { z } from "zod";

export const STRATA = {
  region: {
    label: "Region you live in",
    codes: { africa: "Africa", americas: "The Americas", asia: "Asia", europe: "Europe", oceania: "Oceania" },
  },
  age: {
    label: "Age group",
    codes: { "18-34": "18–34", "35-54": "35–54", "55-plus": "55 or older" },
  },
} as const;

export type StrataDimension = keyof typeof STRATA;

const codeOf = <D extends StrataDimension>(dimension: D) =>
  z.enum(Object.keys(STRATA[dimension].codes) as [string, ...string[]], `Choose a listed ${dimension}.`);

/** A declaration: any subset of dimensions; an empty one withdraws it. */
export const strataSchema = z.strictObject({ region: codeOf("region").optional(), age: codeOf("age").optional() });
