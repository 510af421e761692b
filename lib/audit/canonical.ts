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
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
