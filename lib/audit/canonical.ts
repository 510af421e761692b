// RFC 8785 (JSON Canonicalization Scheme) text: the exact bytes that are hashed and stored.
// Pure: no framework or database imports, so the offline verifier can reuse it.
import canonicalize from "canonicalize";

/** Canonical JSON of a JSON value; throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON representation");
  return text;
}

/** True when `text` is valid JSON already in canonical form. */
export function isCanonicalJson(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return isCanonicalForm(value, text);
}

/**
 * True when `text` is the canonical JSON of `value`, where `value` is `JSON.parse(text)`:
 * the same answer as `canonicalJson(value) === text` (false where that throws), in less
 * time (BENCHMARKS.md §2). RFC 8785 writes numbers and strings exactly as JSON.stringify
 * does and orders keys by UTF-16 code units, so when JSON.stringify gives back `text` and
 * every object's keys already ascend in that order, the canonical form is `text` too.
 * Anything else (integer-like keys, which JSON.stringify puts first, or escaped lone
 * surrogates, which RFC 8785 refuses) is decided by the reference implementation.
 */
export function isCanonicalForm(value: unknown, text: string): boolean {
  if (JSON.stringify(value) === text && !text.includes("\\ud") && keysAscend(value)) return true;
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}

function keysAscend(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysAscend(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key of Object.keys(value)) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!keysAscend((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}
