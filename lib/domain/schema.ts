// The words of Plenary's domain, defined once: each enum the database also knows (a test ties
// every one to its Prisma enum), the SHA-256 and slug rules. Pure (zod only): the audit log's
// events, the tally, the exports and the offline verifier all use these.
import { z } from "zod";

export const DATAPOINT_KINDS = ["PAIRWISE", "RATING", "CLASSIFICATION"] as const;
export type DatapointKind = (typeof DATAPOINT_KINDS)[number];
export const datapointKind = z.enum(DATAPOINT_KINDS);

/** How an import file names a kind (lowercase), and the kind it stands for. */
export const KIND_OF_RECORD = {
  pairwise: "PAIRWISE",
  rating: "RATING",
  classification: "CLASSIFICATION",
} as const satisfies Record<string, DatapointKind>;

export const DATAPOINT_STATUSES = ["DRAFT", "OPEN", "CLOSED", "FINALIZED", "REOPENED"] as const;

export const DECISION_STATUSES = ["PENDING_CONFIRMATION", "FINAL", "SUPERSEDED", "DECLINED"] as const;

export const OVERRIDE_REASONS = [
  "POLICY_VIOLATION",
  "FACTUAL_ERROR",
  "BRIGADING",
  "GUIDELINE_MISAPPLIED",
  "INSUFFICIENT_QUALITY",
  "OTHER",
] as const;
export const overrideReason = z.enum(OVERRIDE_REASONS);

export const FLAG_REASONS = ["SPAM", "ABUSE", "PERSONAL_DATA", "OFF_TOPIC", "MISLABELED", "OTHER"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const ROLES = ["CITIZEN", "MODERATOR", "RESEARCHER", "ADMIN"] as const;

export const POLICY_KINDS = ["EQUAL", "TRUST_TIER", "RELIABILITY", "REPRESENTATIVE"] as const;
export const TALLY_VISIBILITIES = ["AFTER_OWN_VOTE", "AFTER_CLOSE"] as const;
export const APPEAL_STATUSES = ["OPEN", "ACCEPTED", "REJECTED"] as const;

/** A SHA-256 digest as this site writes it: 64 lowercase hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const sha256Hex = (message = "a hex SHA-256") => z.string().regex(SHA256_HEX, message);

/** A batch's or a policy's slug: lowercase words of letters and digits joined by single hyphens, at most 80 characters. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MAX_LENGTH = 80;
export const isSlug = (text: string) => text.length <= SLUG_MAX_LENGTH && SLUG.test(text);
export const slug = (message = "A slug has lowercase letters and digits, joined by single hyphens.") =>
  z.string().max(SLUG_MAX_LENGTH, message).regex(SLUG, message);
