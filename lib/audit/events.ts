// Every kind of audit event, as one zod discriminated union keyed by `type`.
// Pure: the offline verifier parses stored bodies with these same schemas.
// Events name people only by their user id (a UUID, pseudonymous): never email or name.
import { z } from "zod";
import { datapointKind, FLAG_REASONS, overrideReason, ROLES, sha256Hex, TALLY_VISIBILITIES } from "@/lib/domain/schema";

const id = z.uuid();
const hex64 = sha256Hex();

const base = {
  /** When the service recorded the event (ISO 8601, UTC). */
  at: z.iso.datetime(),
  /** The user who caused the event; null for the system (seed, scheduler). */
  actorId: id.nullable(),
};

const role = z.enum(ROLES);
/** Events a person causes themselves: the actor is that person, never the system. */
const byUser = { ...base, actorId: id };

/** What a voter saw when voting: the anti-herding record stored with every vote. */
const shownSchema = z.strictObject({
  /** Response ids in the order they were displayed. */
  order: z.array(z.string()),
  proposedLabelVisible: z.boolean(),
  tallyVisible: z.boolean(),
});
export type Shown = z.infer<typeof shownSchema>;

const vote = {
  ...byUser,
  voteId: id,
  datapointId: id,
  option: z.string(),
  /** SHA-256 of the rationale (null when none), so a rationale can be redacted later. */
  rationaleHash: hex64.nullable(),
  shown: shownSchema,
};
const kind = datapointKind;

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
    tallyVisibility: z.enum(TALLY_VISIBILITIES),
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
    /** The label options' ids in display order: what a tally counts. */
    options: z.array(z.string()).min(1),
    proposedLabel: z.string(),
    proposedLabelSource: z.string(),
    /**
     * Its status when published (its batch may already be open or closed); the lifecycle
     * events of its batch move it on. Absent in events written before it was recorded.
     */
    initialStatus: z.enum(["DRAFT", "OPEN", "CLOSED"]).optional(),
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("decision.finalized"),
    decisionId: id,
    datapointId: id,
    label: z.string(),
    policyHash: hex64,
    /** SHA-256 of the canonical JSON of the exact tally output the decision rests on. */
    tallyHash: hex64,
    /** Seq of the last audit event the tally considered. */
    lastSeq: z.int().min(0),
    /** SHA-256 over the vote events the tally used. */
    voteDigest: hex64,
    isOverride: z.boolean(),
    overrideReason: overrideReason.nullable(),
    rationaleHash: hex64,
    /** The second moderator who confirmed an override; null when the tally's outcome was accepted. */
    confirmedById: id.nullable(),
  }),
  /** An override waiting for a second moderator; it changes nothing until confirmed. */
  z.strictObject({
    ...byUser,
    type: z.literal("decision.override_proposed"),
    decisionId: id,
    datapointId: id,
    label: z.string(),
    tallyHash: hex64,
    overrideReason,
    rationaleHash: hex64,
    /** As in decision.finalized; absent in events written before they were recorded. */
    policyHash: hex64.optional(),
    lastSeq: z.int().min(0).optional(),
    voteDigest: hex64.optional(),
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("decision.override_declined"),
    decisionId: id,
    datapointId: id,
    rationaleHash: hex64,
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("appeal.filed"),
    appealId: id,
    decisionId: id,
    datapointId: id,
    reasonHash: hex64,
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("appeal.rejected"),
    appealId: id,
    datapointId: id,
    rationaleHash: hex64,
  }),
  /** An accepted appeal: the decision is superseded and voting reopens. */
  z.strictObject({
    ...byUser,
    type: z.literal("decision.reopened"),
    appealId: id,
    decisionId: id,
    datapointId: id,
    rationaleHash: hex64,
  }),
  /** Scheduled lifecycle steps of a whole batch (its datapoints move with it). */
  z.strictObject({ ...base, type: z.literal("batch.opened"), batchId: id, datapoints: z.int().min(0) }),
  z.strictObject({ ...base, type: z.literal("batch.closed"), batchId: id, datapoints: z.int().min(0) }),
  z.strictObject({
    ...base,
    type: z.literal("comment.hidden"),
    commentId: id,
    datapointId: id,
    reason: z.string().min(1),
    /** True when hidden automatically after enough flags, pending a moderator's review. */
    automatic: z.boolean(),
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("comment.unhidden"),
    commentId: id,
    datapointId: id,
    reason: z.string().min(1),
  }),
  /** A moderator found nothing to act on; hiding or keeping a comment resolves its flags too. */
  z.strictObject({
    ...byUser,
    type: z.literal("flag.dismissed"),
    flagId: id,
    datapointId: id,
    reason: z.string().min(1),
  }),
  z.strictObject({
    ...base,
    type: z.literal("user.deleted"),
    userId: id,
    /** Roles the account held; deletion revokes them in the same step. */
    revokedRoles: z.array(role),
  }),
  z.strictObject({
    ...base,
    type: z.literal("user.tier_changed"),
    userId: id,
    verificationTier: z.int().min(0),
    previousTier: z.int().min(0),
  }),
  /** Coarse strata a voter chose to declare (null: withdrawn). Public, as weights depend on it. */
  z.strictObject({
    ...byUser,
    type: z.literal("user.strata_declared"),
    userId: id,
    strata: z.record(z.string(), z.string()).nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("batch.policy_changed"),
    batchId: id,
    policyHash: hex64,
    previousPolicyHash: hex64,
    reason: z.string().min(1),
  }),
  /**
   * A new public display name; the name itself is personal data, so only its hash. By the
   * user, or by the system (actor null) when the start-up check removed a name written
   * before the naming rules that another account had claimed first or that the rules refuse.
   */
  z.strictObject({ ...base, type: z.literal("user.renamed"), userId: id, nameHash: hex64.nullable() }),
  z.strictObject({ ...vote, type: z.literal("vote.cast") }),
  z.strictObject({ ...vote, type: z.literal("vote.changed"), previousOption: z.string() }),
  z.strictObject({
    ...byUser,
    type: z.literal("comment.posted"),
    commentId: id,
    datapointId: id,
    parentId: id.nullable(),
    /** Bodies enter the log by hash only, so one can be redacted without breaking the chain. */
    bodyHash: hex64,
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("comment.edited"),
    commentId: id,
    datapointId: id,
    version: z.int().min(2),
    bodyHash: hex64,
  }),
  z.strictObject({ ...byUser, type: z.literal("comment.deleted"), commentId: id, datapointId: id }),
  z.strictObject({
    ...base,
    type: z.literal("comment.redacted"),
    commentId: id,
    datapointId: id,
    reason: z.string().min(1),
  }),
  z.strictObject({
    ...byUser,
    type: z.literal("flag.raised"),
    flagId: id,
    /** The datapoint flagged, or the one the flagged comment belongs to. */
    datapointId: id,
    commentId: id.nullable(),
    reason: z.enum(FLAG_REASONS),
  }),
  /**
   * A JSONL file imported (CLI or admin upload), after its batch.created and
   * datapoint.published events in the same transaction. The file's hash lets anyone match
   * the log to the file they hold; the actor is null for a system import.
   */
  z.strictObject({
    ...base,
    type: z.literal("import.completed"),
    fileHash: hex64,
    /** Slugs of every batch the file names, sorted. */
    batches: z.array(z.string()),
    datapointsCreated: z.int().min(0),
    /** Datapoints in the file that were already published with identical content. */
    unchanged: z.int().min(0),
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
