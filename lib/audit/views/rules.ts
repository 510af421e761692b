// Pure rules of the public audit views: each stored event told as one plain sentence, the
// facts worth showing beside it, and a datapoint's story split into voting rounds.
// Bodies are read loosely: an event written by a newer version of the app (an unknown
// type or an extra field) still gets a sentence instead of breaking the page.
import type { AuditEvent, AuditEventType } from "@/lib/audit/events";
import { formatSecond } from "@/lib/domain/time";

export type Body = Record<string, unknown>;

/** How people and options are named: resolved by the caller from the tables. */
export type Naming = {
  /** A user id as named when the event was written, with the pseudonym ("Ada (calm-otter-0412)"); "the system" for null. Never an email. */
  person(id: unknown): string;
  /** A label option's caption, when the datapoint is known. */
  option?(id: unknown): string;
};

/** A fact shown under the sentence; hashes are shown abbreviated and expandable. */
export type Fact = { label: string; value: string; kind?: "hash" | "policy" };

/** The stored body parsed as an object, or null when it is not one. */
export function parseBody(text: string): Body | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Body) : null;
  } catch {
    return null;
  }
}

/** Every user id a body mentions, so the caller can name them all in one read. */
export function userIdsOf(body: Body | null): string[] {
  if (!body) return [];
  return [body.actorId, body.userId, body.confirmedById].filter((v): v is string => typeof v === "string");
}

/** The sentence for an event; an unknown type still gets one. */
export function describeEvent(type: string, body: Body | null, naming: Naming): string {
  const sentence = Object.hasOwn(SENTENCES, type) ? SENTENCES[type as AuditEventType] : null;
  if (!sentence || !body) return `An event of type “${type}” was recorded.`;
  return fullStop((sentence as (e: Body, n: Naming) => string)(body, naming));
}

// Each body's own field names (typos fail to compile), with values of any shape.
type Loose<T extends AuditEventType> = { [K in keyof Extract<AuditEvent, { type: T }>]?: unknown };
type Sentences = { [T in AuditEventType]: (e: Loose<T>, n: Naming) => string };

const text = (v: unknown): string =>
  typeof v === "string"
    ? v
    : typeof v === "number" || typeof v === "boolean"
      ? String(v)
      : v == null
        ? "unknown"
        : JSON.stringify(v);
/** SCREAMING_CASE enum values as words: "PERSONAL_DATA" → "personal data". */
const words = (v: unknown) => text(v).toLowerCase().replaceAll("_", " ");
const option = (n: Naming, v: unknown) => `“${n.option ? n.option(v) : text(v)}”`;
/** A reason typed by a moderator may end in its own full stop. */
const fullStop = (s: string) => (/[.!?…]$/.test(s) ? s : `${s}.`);
/** Who starts a sentence: names stay exactly as chosen (pseudonyms are lower-case). */
const subject = (n: Naming, id: unknown) =>
  id === null ? "The system" : typeof id === "string" ? n.person(id) : "An unknown account";
const withReason = (v: unknown) => (v ? `: ${text(v)}` : "");

const SENTENCES: Sentences = {
  "user.created": (e) =>
    `An account was created with the pseudonym ${text(e.pseudonym)} (verification tier ${text(e.verificationTier)})`,
  "role.granted": (e, n) => `${subject(n, e.actorId)} granted the ${words(e.role)} role to ${n.person(e.userId)}`,
  "role.revoked": (e, n) => `${subject(n, e.actorId)} revoked the ${words(e.role)} role from ${n.person(e.userId)}`,
  "policy.published": (e, n) =>
    `${subject(n, e.actorId)} published the voting policy ${text(e.name)} v${text(e.version)}`,
  "batch.created": (e, n) =>
    `${subject(n, e.actorId)} created the batch “${text(e.title)}”, voting from ${formatInstant(e.opensAt)} to ${formatInstant(e.closesAt)}; ` +
    `the tally is shown ${e.tallyVisibility === "AFTER_CLOSE" ? "after voting closes" : "to each voter after their own vote"}` +
    ` and a rationale is ${e.rationaleRequired === true ? "required" : "optional"}`,
  "datapoint.published": (e, n) =>
    `The datapoint was published as a ${words(e.kind)} item with the proposed label ${option(n, e.proposedLabel)} (source: ${text(e.proposedLabelSource)})`,
  "decision.finalized": (e, n) =>
    `${subject(n, e.actorId)} finalized the label ${option(n, e.label)} from the tally of the log up to seq ${text(e.lastSeq)}` +
    (e.isOverride === true
      ? `, overriding the tally's outcome (${words(e.overrideReason)}), confirmed by ${n.person(e.confirmedById)}`
      : ", as the tally decided"),
  "decision.override_proposed": (e, n) =>
    `${subject(n, e.actorId)} proposed overriding the tally with the label ${option(n, e.label)} (${words(e.overrideReason)}); a second moderator must confirm it`,
  "decision.override_declined": (e, n) =>
    `${subject(n, e.actorId)} declined the proposed override, so it changes nothing`,
  "appeal.filed": (e, n) => `${subject(n, e.actorId)} appealed the decision`,
  "appeal.rejected": (e, n) => `${subject(n, e.actorId)} rejected the appeal; the decision stands`,
  "decision.reopened": (e, n) =>
    `${subject(n, e.actorId)} accepted the appeal: the decision was superseded and voting reopened`,
  "batch.opened": (e) => `The batch opened for voting (${text(e.datapoints)} datapoints)`,
  "batch.closed": (e) => `The batch closed; voting ended (${text(e.datapoints)} datapoints)`,
  "comment.hidden": (e, n) =>
    e.automatic === true
      ? `A comment was hidden automatically after several flags, pending a moderator's review${withReason(e.reason)}`
      : `${subject(n, e.actorId)} hid a comment${withReason(e.reason)}`,
  "comment.unhidden": (e, n) => `${subject(n, e.actorId)} made a hidden comment visible again${withReason(e.reason)}`,
  "flag.dismissed": (e, n) => `${subject(n, e.actorId)} dismissed a flag${withReason(e.reason)}`,
  "user.deleted": (e, n) =>
    `The account ${n.person(e.userId)} was deleted` +
    (Array.isArray(e.revokedRoles) && e.revokedRoles.length
      ? `, revoking the roles ${e.revokedRoles.map(words).join(", ")}`
      : ""),
  "user.tier_changed": (e, n) =>
    `${subject(n, e.userId)}'s verification tier changed from ${text(e.previousTier)} to ${text(e.verificationTier)}`,
  "user.strata_declared": (e, n) =>
    e.strata && typeof e.strata === "object"
      ? `${subject(n, e.userId)} declared the strata ${Object.entries(e.strata as Body)
          .map(([k, v]) => `${k} ${text(v)}`)
          .join(", ")}`
      : `${subject(n, e.userId)} withdrew their declared strata`,
  "batch.policy_changed": (e, n) => `${subject(n, e.actorId)} changed the batch's voting policy${withReason(e.reason)}`,
  "user.renamed": (e, n) =>
    e.actorId === null
      ? `The system removed the display name of ${n.person(e.userId)}, which another account had claimed first or the naming rules refuse`
      : e.nameHash
        ? `${subject(n, e.userId)} chose a new display name`
        : `${subject(n, e.userId)} removed their display name`,
  "vote.cast": (e, n) =>
    `${subject(n, e.actorId)} voted ${option(n, e.option)}${e.rationaleHash ? " with a rationale" : ""}`,
  "vote.changed": (e, n) =>
    `${subject(n, e.actorId)} changed their vote from ${option(n, e.previousOption)} to ${option(n, e.option)}${e.rationaleHash ? " with a rationale" : ""}`,
  "comment.posted": (e, n) => `${subject(n, e.actorId)} ${e.parentId ? "replied to a comment" : "posted a comment"}`,
  "comment.edited": (e, n) => `${subject(n, e.actorId)} edited their comment (version ${text(e.version)})`,
  "comment.deleted": (e, n) => `${subject(n, e.actorId)} deleted their comment`,
  "comment.redacted": (e, n) => `${subject(n, e.actorId)} redacted a comment's text${withReason(e.reason)}`,
  "flag.raised": (e, n) =>
    `${subject(n, e.actorId)} flagged ${e.commentId ? "a comment" : "the datapoint"} as ${words(e.reason)}`,
  "import.completed": (e, n) => {
    const slugs = Array.isArray(e.batches) ? e.batches.map(text) : [];
    const into =
      slugs.length === 1 ? ` into the batch ${slugs[0]}` : slugs.length ? ` into the batches ${slugs.join(", ")}` : "";
    const already = typeof e.unchanged === "number" && e.unchanged > 0 ? `, ${e.unchanged} already published` : "";
    return `${subject(n, e.actorId)} imported a file${into}: ${text(e.datapointsCreated)} new ${e.datapointsCreated === 1 ? "datapoint" : "datapoints"}${already}`;
  },
};

/** The facts worth showing beside an event's sentence: hashes, labels, what a voter saw. */
export function eventFacts(type: string, body: Body | null, naming: Naming): Fact[] {
  if (!body) return [];
  const facts: Fact[] = [];
  const add = (label: string, value: unknown, kind?: Fact["kind"]) => {
    if (value !== undefined && value !== null && value !== "") facts.push({ label, value: text(value), kind });
  };
  const opt = (v: unknown) => (v === undefined || v === null ? v : option(naming, v));
  if (type === "vote.cast" || type === "vote.changed") {
    const shown = (body.shown ?? {}) as Body;
    add("Responses shown in order", Array.isArray(shown.order) ? shown.order.map(text).join(", ") : undefined);
    add("Proposed label shown", yesNo(shown.proposedLabelVisible));
    add("Tally visible when voting", yesNo(shown.tallyVisible));
    add("Rationale hash", body.rationaleHash, "hash");
  } else if (type === "datapoint.published") {
    add("Proposed label", opt(body.proposedLabel));
    add("Content hash", body.contentHash, "hash");
  } else if (type === "decision.finalized" || type === "decision.override_proposed") {
    add("Label", opt(body.label));
    add("Override reason", body.overrideReason ? words(body.overrideReason) : undefined);
    add("Policy hash", body.policyHash, "policy");
    add("Tally hash", body.tallyHash, "hash");
    add("Last seq considered", body.lastSeq);
    add("Vote digest", body.voteDigest, "hash");
  } else if (type === "batch.created" || type === "batch.policy_changed") {
    add("Previous policy", body.previousPolicyHash, "policy");
    add("Policy", body.policyHash, "policy");
  } else if (type === "policy.published") {
    add("Content hash", body.contentHash, "policy");
  }
  add("Body hash", body.bodyHash, "hash");
  add("Reason hash", body.reasonHash, "hash");
  if (type !== "vote.cast" && type !== "vote.changed") add("Rationale hash", body.rationaleHash, "hash");
  return facts;
}

const yesNo = (v: unknown) => (v === true ? "yes" : v === false ? "no" : undefined);

export type Round<E> = { number: number; events: E[] };

/**
 * A datapoint's events in voting rounds, seq order kept: an accepted appeal
 * (decision.reopened) starts a new round, so each round ends in at most one decision.
 */
export function groupIntoRounds<E extends { type: string }>(events: readonly E[]): Round<E>[] {
  const rounds: Round<E>[] = [{ number: 1, events: [] }];
  for (const event of events) {
    if (event.type === "decision.reopened") rounds.push({ number: rounds.length + 1, events: [] });
    rounds.at(-1)!.events.push(event);
  }
  return rounds.filter((r) => r.events.length > 0);
}

/** The event's own time (what was hashed), else when it was stored. */
export function eventTime(body: Body | null, recordedAt: Date): Date {
  const at = body && typeof body.at === "string" ? new Date(body.at) : null;
  return at && !Number.isNaN(at.getTime()) ? at : recordedAt;
}

/** "2026-11-27 08:28:39 UTC": to the second, one time zone for everyone. */
export function formatInstant(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return text(value);
  return formatSecond(date);
}

export type CommentNow = { state: "visible" | "deleted" | "hidden" | "redacted"; version: number; body: string | null };

/**
 * What the story shows of a posted or edited comment. The log holds only the body's hash;
 * the text comes from the comments table, and only while the comment is visible: the
 * current text beside the event that wrote that version, a pointer elsewhere.
 */
export function commentText(eventVersion: number, now: CommentNow | undefined): { text: string } | { note: string } {
  if (!now) return { note: "This comment is no longer in the database." };
  if (now.state !== "visible") return { note: `The text is not public: the comment was ${now.state}.` };
  if (eventVersion !== now.version || now.body === null)
    return { note: `A later version (${now.version}) replaced this text.` };
  return { text: now.body };
}

/** Where a reader gets the Merkle inclusion proof of one event. */
export function inclusionProofHref(seq: bigint | number | string): string {
  return `/api/log/proof/inclusion?seq=${seq}`;
}
