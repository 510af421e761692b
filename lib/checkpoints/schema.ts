// Query parameters of the log API (/api/log/…). Every failure becomes one sentence for a
// 400 problem response, so a mistyped URL is never a 500.
import { z } from "zod";

/** Entries returned by one request at most (as CT logs do, a longer range is cut short). */
export const MAX_ENTRIES = 1_000;

/** A tree size or seq: a whole number from 1, small enough to be exact in JSON. */
function count(name: string) {
  return z
    .string({ error: `${name} is required: a whole number from 1 up.` })
    .regex(/^[1-9][0-9]{0,15}$/, `${name} must be a whole number from 1 up, written in digits.`)
    .transform(Number)
    .refine(Number.isSafeInteger, `${name} is too large.`);
}

export const checkpointQuery = z.object({ treeSize: count("treeSize").optional() });

export const inclusionQuery = z.object({ seq: count("seq"), treeSize: count("treeSize").optional() });

export const consistencyQuery = z
  .object({ first: count("first"), second: count("second").optional() })
  .refine((q) => q.second === undefined || q.first <= q.second, "first must not be larger than second.");

export const entriesQuery = z
  .object({ from: count("from"), to: count("to").optional() })
  .refine((q) => q.to === undefined || q.from <= q.to, "from must not be larger than to.");
