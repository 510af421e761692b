// Every kind of audit event, as one zod discriminated union keyed by `type`.
// Pure: the offline verifier parses stored bodies with these same schemas.
// Events name people only by their user id (a UUID, pseudonymous): never email or name.
import { z } from "zod";

const id = z.uuid();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a hex SHA-256");

const base = {
  /** When the service recorded the event (ISO 8601, UTC). */
  at: z.iso.datetime(),
  /** The user who caused the event; null for the system (seed, scheduler). */
  actorId: id.nullable(),
};

const role = z.enum(["CITIZEN", "MODERATOR", "RESEARCHER", "ADMIN"]);
const kind = z.enum(["PAIRWISE", "RATING", "CLASSIFICATION"]);

export const auditEventSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...base,
    type: z.literal("user.created"),
    userId: id,
    pseudonym: z.string(),
    verificationTier: z.int().min(0),
  }),
  z.strictObject({ ...base, type: z.literal("role.granted"), userId: id, role }),
  z.strictObject({ ...base, type: z.literal("role.revoked"), userId: id, role }),
  z.strictObject({
    ...base,
    type: z.literal("policy.published"),
    policyId: id,
    name: z.string(),
    version: z.int().min(1),
    contentHash: hex64,
    /** The policy document itself, so a tally can be recomputed from the log alone. */
    document: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    ...base,
    type: z.literal("batch.created"),
    batchId: id,
    slug: z.string(),
    title: z.string(),
    policyHash: hex64,
    opensAt: z.iso.datetime(),
    closesAt: z.iso.datetime(),
    tallyVisibility: z.enum(["AFTER_OWN_VOTE", "AFTER_CLOSE"]),
    rationaleRequired: z.boolean(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("datapoint.published"),
    datapointId: id,
    batchId: id,
    externalId: z.string(),
    kind,
    /** SHA-256 of the canonical JSON of the published content (prompt, responses, options…). */
    contentHash: hex64,
    proposedLabel: z.string(),
    proposedLabelSource: z.string(),
  }),
]);

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditEventType = AuditEvent["type"];
/** What a service passes to appendEvent: `at` is stamped by the writer when absent. */
export type NewAuditEvent = AuditEvent extends infer E
  ? E extends AuditEvent
    ? Omit<E, "at"> & { at?: string }
    : never
  : never;

/** The datapoint an event concerns, for per-datapoint history; null when none. */
export function datapointOf(event: AuditEvent): string | null {
  return "datapointId" in event ? event.datapointId : null;
}
