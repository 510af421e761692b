import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditEventSchema, type AuditEvent, type AuditEventType } from "@/lib/audit/events";
import {
  commentText,
  describeEvent,
  eventFacts,
  eventTime,
  formatInstant,
  groupIntoRounds,
  inclusionProofHref,
  parseBody,
  userIdsOf,
  type Naming,
} from "./rules";
import { EVENT_TYPES } from "./schema";

const ALICE = "0192f1a0-0000-7000-8000-000000000001";
const BOB = "0192f1a0-0000-7000-8000-000000000002";
const ID = "0192f1a0-0000-7000-8000-0000000000ff";
const H = "a".repeat(64);
const H2 = "b".repeat(64);
const at = "2026-11-27T08:28:39.000Z";
const shown = { order: ["B", "A"], proposedLabelVisible: true, tallyVisible: false };

/** One valid event of every type (the mapped type fails to compile when a type is missing). */
const SAMPLES: { [T in AuditEventType]: Extract<AuditEvent, { type: T }> } = {
  "user.created": {
    type: "user.created",
    at,
    actorId: null,
    userId: ALICE,
    pseudonym: "calm-otter-0412",
    verificationTier: 0,
  },
  "role.granted": { type: "role.granted", at, actorId: BOB, userId: ALICE, role: "MODERATOR" },
  "role.revoked": { type: "role.revoked", at, actorId: BOB, userId: ALICE, role: "MODERATOR" },
  "policy.published": {
    type: "policy.published",
    at,
    actorId: null,
    policyId: ID,
    name: "equal",
    version: 1,
    contentHash: H,
    document: {},
  },
  "batch.created": {
    type: "batch.created",
    at,
    actorId: null,
    batchId: ID,
    slug: "b",
    title: "Honesty",
    policyHash: H,
    opensAt: at,
    closesAt: "2026-12-27T08:28:39.000Z",
    tallyVisibility: "AFTER_CLOSE",
    rationaleRequired: true,
  },
  "datapoint.published": {
    type: "datapoint.published",
    at,
    actorId: null,
    datapointId: ID,
    batchId: ID,
    externalId: "x",
    kind: "PAIRWISE",
    contentHash: H,
    options: ["A", "B"],
    proposedLabel: "A",
    proposedLabelSource: "model",
  },
  "decision.finalized": {
    type: "decision.finalized",
    at,
    actorId: ALICE,
    decisionId: ID,
    datapointId: ID,
    label: "B",
    policyHash: H,
    tallyHash: H2,
    lastSeq: 41,
    voteDigest: H,
    isOverride: true,
    overrideReason: "BRIGADING",
    rationaleHash: H,
    confirmedById: BOB,
  },
  "decision.override_proposed": {
    type: "decision.override_proposed",
    at,
    actorId: ALICE,
    decisionId: ID,
    datapointId: ID,
    label: "B",
    tallyHash: H,
    overrideReason: "FACTUAL_ERROR",
    rationaleHash: H,
  },
  "decision.override_declined": {
    type: "decision.override_declined",
    at,
    actorId: BOB,
    decisionId: ID,
    datapointId: ID,
    rationaleHash: H,
  },
  "appeal.filed": {
    type: "appeal.filed",
    at,
    actorId: ALICE,
    appealId: ID,
    decisionId: ID,
    datapointId: ID,
    reasonHash: H,
  },
  "appeal.rejected": { type: "appeal.rejected", at, actorId: BOB, appealId: ID, datapointId: ID, rationaleHash: H },
  "decision.reopened": {
    type: "decision.reopened",
    at,
    actorId: BOB,
    appealId: ID,
    decisionId: ID,
    datapointId: ID,
    rationaleHash: H,
  },
  "batch.opened": { type: "batch.opened", at, actorId: null, batchId: ID, datapoints: 3 },
  "batch.closed": { type: "batch.closed", at, actorId: null, batchId: ID, datapoints: 3 },
  "comment.hidden": {
    type: "comment.hidden",
    at,
    actorId: null,
    commentId: ID,
    datapointId: ID,
    reason: "3 open flags",
    automatic: true,
  },
  "comment.unhidden": { type: "comment.unhidden", at, actorId: BOB, commentId: ID, datapointId: ID, reason: "fine" },
  "flag.dismissed": { type: "flag.dismissed", at, actorId: BOB, flagId: ID, datapointId: ID, reason: "not spam" },
  "user.deleted": { type: "user.deleted", at, actorId: ALICE, userId: ALICE, revokedRoles: ["MODERATOR"] },
  "user.tier_changed": {
    type: "user.tier_changed",
    at,
    actorId: BOB,
    userId: ALICE,
    verificationTier: 2,
    previousTier: 0,
  },
  "user.strata_declared": {
    type: "user.strata_declared",
    at,
    actorId: ALICE,
    userId: ALICE,
    strata: { region: "europe" },
  },
  "batch.policy_changed": {
    type: "batch.policy_changed",
    at,
    actorId: BOB,
    batchId: ID,
    policyHash: H2,
    previousPolicyHash: H,
    reason: "quorum too low",
  },
  "user.renamed": { type: "user.renamed", at, actorId: ALICE, userId: ALICE, nameHash: H },
  "vote.cast": {
    type: "vote.cast",
    at,
    actorId: ALICE,
    voteId: ID,
    datapointId: ID,
    option: "A",
    rationaleHash: H,
    shown,
  },
  "vote.changed": {
    type: "vote.changed",
    at,
    actorId: ALICE,
    voteId: ID,
    datapointId: ID,
    option: "B",
    rationaleHash: null,
    shown,
    previousOption: "A",
  },
  "comment.posted": {
    type: "comment.posted",
    at,
    actorId: ALICE,
    commentId: ID,
    datapointId: ID,
    parentId: null,
    bodyHash: H,
  },
  "comment.edited": {
    type: "comment.edited",
    at,
    actorId: ALICE,
    commentId: ID,
    datapointId: ID,
    version: 2,
    bodyHash: H2,
  },
  "comment.deleted": { type: "comment.deleted", at, actorId: ALICE, commentId: ID, datapointId: ID },
  "comment.redacted": {
    type: "comment.redacted",
    at,
    actorId: BOB,
    commentId: ID,
    datapointId: ID,
    reason: "personal data",
  },
  "import.completed": {
    type: "import.completed",
    at,
    actorId: BOB,
    fileHash: H,
    batches: ["honesty-nov-2026"],
    datapointsCreated: 12,
    unchanged: 3,
  },
  "flag.raised": {
    type: "flag.raised",
    at,
    actorId: ALICE,
    flagId: ID,
    datapointId: ID,
    commentId: ID,
    reason: "PERSONAL_DATA",
  },
};

const naming: Naming = {
  person: (id) =>
    id === ALICE ? "calm-otter-0412" : id === BOB ? "Moderator Bo" : id === null ? "the system" : "an unknown account",
  option: (id) => ({ A: "A is better", B: "B is better" })[String(id)] ?? String(id),
};
const body = (type: AuditEventType) => SAMPLES[type] as unknown as Record<string, unknown>;

describe("describeEvent", () => {
  it.each(EVENT_TYPES)("tells %s as a plain sentence with every field filled in", (type) => {
    expect(auditEventSchema.parse(SAMPLES[type])).toEqual(SAMPLES[type]);
    const sentence = describeEvent(type, body(type), naming);
    expect(sentence).not.toMatch(/An event of type/);
    expect(sentence).not.toMatch(/unknown|undefined|null|\[object/);
    // A sentence starts with a capital, or with a person's name exactly as chosen.
    expect(
      sentence.startsWith("calm-otter-0412") || sentence.startsWith("Moderator Bo") || /^[A-Z]/.test(sentence),
    ).toBe(true);
  });

  it("names people by the caller's naming and options by caption", () => {
    expect(describeEvent("vote.cast", body("vote.cast"), naming)).toBe(
      "calm-otter-0412 voted “A is better” with a rationale.",
    );
    expect(describeEvent("vote.changed", body("vote.changed"), naming)).toBe(
      "calm-otter-0412 changed their vote from “A is better” to “B is better”.",
    );
    expect(describeEvent("decision.finalized", body("decision.finalized"), naming)).toBe(
      "calm-otter-0412 finalized the label “B is better” from the tally of the log up to seq 41, overriding the tally's outcome (brigading), confirmed by Moderator Bo.",
    );
    expect(describeEvent("comment.hidden", body("comment.hidden"), naming)).toMatch(
      /^A comment was hidden automatically/,
    );
    expect(describeEvent("batch.opened", { ...body("batch.opened"), actorId: null }, naming)).toBe(
      "The batch opened for voting (3 datapoints).",
    );
    expect(describeEvent("role.granted", { ...body("role.granted"), actorId: null }, naming)).toBe(
      "The system granted the moderator role to calm-otter-0412.",
    );
    expect(describeEvent("flag.raised", body("flag.raised"), naming)).toBe(
      "calm-otter-0412 flagged a comment as personal data.",
    );
    expect(describeEvent("user.renamed", body("user.renamed"), naming)).toBe(
      "calm-otter-0412 chose a new display name.",
    );
    expect(describeEvent("user.renamed", { ...body("user.renamed"), nameHash: null }, naming)).toBe(
      "calm-otter-0412 removed their display name.",
    );
    expect(describeEvent("user.renamed", { ...body("user.renamed"), actorId: null, nameHash: null }, naming)).toBe(
      "The system removed the display name of calm-otter-0412, which another account had claimed first or the naming rules refuse.",
    );
  });

  it("falls back to a sentence for an unknown type or an unreadable body", () => {
    expect(describeEvent("checkpoint.signed", { treeSize: 3 }, naming)).toBe(
      "An event of type “checkpoint.signed” was recorded.",
    );
    expect(describeEvent("vote.cast", null, naming)).toBe("An event of type “vote.cast” was recorded.");
    expect(describeEvent("flag.dismissed", { ...body("flag.dismissed"), reason: "Not spam." }, naming)).toBe(
      "Moderator Bo dismissed a flag: Not spam.",
    );
    expect(describeEvent("toString", {}, naming)).toBe("An event of type “toString” was recorded.");
  });

  it("does not crash on missing, extra or oddly typed fields, for any type", () => {
    const types = fc.constantFrom<string>(...EVENT_TYPES, "future.event", "__proto__");
    fc.assert(
      fc.property(types, fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (type, extra, keep) => {
        const input = { ...(keep && type in SAMPLES ? body(type as AuditEventType) : {}), ...extra };
        expect(typeof describeEvent(type, input, naming)).toBe("string");
        expect(typeof describeEvent(type, input, { person: () => "x" })).toBe("string");
        for (const fact of eventFacts(type, input, naming)) expect(typeof fact.value).toBe("string");
      }),
    );
  });
});

describe("eventFacts", () => {
  it("shows what a voter was shown", () => {
    expect(eventFacts("vote.cast", body("vote.cast"), naming)).toEqual([
      { label: "Responses shown in order", value: "B, A" },
      { label: "Proposed label shown", value: "yes" },
      { label: "Tally visible when voting", value: "no" },
      { label: "Rationale hash", value: H, kind: "hash" },
    ]);
  });

  it("shows a decision's label, policy, tally hash, last seq, vote digest and override reason", () => {
    expect(eventFacts("decision.finalized", body("decision.finalized"), naming)).toEqual([
      { label: "Label", value: "“B is better”" },
      { label: "Override reason", value: "brigading" },
      { label: "Policy hash", value: H, kind: "policy" },
      { label: "Tally hash", value: H2, kind: "hash" },
      { label: "Last seq considered", value: "41" },
      { label: "Vote digest", value: H, kind: "hash" },
      { label: "Rationale hash", value: H, kind: "hash" },
    ]);
  });

  it("shows the content hash and proposed label of a publication, and a comment's body hash", () => {
    expect(eventFacts("datapoint.published", body("datapoint.published"), naming)).toEqual([
      { label: "Proposed label", value: "“A is better”" },
      { label: "Content hash", value: H, kind: "hash" },
    ]);
    expect(eventFacts("comment.edited", body("comment.edited"), naming)).toEqual([
      { label: "Body hash", value: H2, kind: "hash" },
    ]);
  });
});

describe("groupIntoRounds", () => {
  const e = (type: string) => ({ type });
  it("starts a new round at each accepted appeal, keeping order", () => {
    const events = [
      e("datapoint.published"),
      e("vote.cast"),
      e("decision.finalized"),
      e("appeal.filed"),
      e("decision.reopened"),
      e("vote.cast"),
    ];
    expect(groupIntoRounds(events).map((r) => [r.number, r.events.map((x) => x.type)])).toEqual([
      [1, ["datapoint.published", "vote.cast", "decision.finalized", "appeal.filed"]],
      [2, ["decision.reopened", "vote.cast"]],
    ]);
  });
  it("has no rounds without events", () => {
    expect(groupIntoRounds([])).toEqual([]);
  });
});

describe("commentText", () => {
  it("shows the current text beside the event that wrote it, while the comment is visible", () => {
    expect(commentText(2, { state: "visible", version: 2, body: "Now." })).toEqual({ text: "Now." });
    expect(commentText(1, { state: "visible", version: 2, body: "Now." })).toEqual({
      note: "A later version (2) replaced this text.",
    });
  });
  it("shows no text once the comment is deleted, hidden or redacted", () => {
    for (const state of ["deleted", "hidden", "redacted"] as const) {
      expect(commentText(1, { state, version: 1, body: "secret" })).toEqual({
        note: `The text is not public: the comment was ${state}.`,
      });
    }
    expect(commentText(1, undefined)).toHaveProperty("note");
  });
});

describe("small readers", () => {
  it("parses only object bodies", () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody("[1]")).toBeNull();
    expect(parseBody("not json")).toBeNull();
  });
  it("collects the user ids a body names", () => {
    expect(userIdsOf(body("decision.finalized"))).toEqual([ALICE, BOB]);
    expect(userIdsOf(body("role.granted"))).toEqual([BOB, ALICE]);
    expect(userIdsOf(null)).toEqual([]);
  });
  it("uses the body's time, else the stored time", () => {
    const recorded = new Date("2030-01-01T00:00:00Z");
    expect(eventTime({ at }, recorded).toISOString()).toBe(at);
    expect(eventTime({ at: "nonsense" }, recorded)).toBe(recorded);
    expect(eventTime(null, recorded)).toBe(recorded);
  });
  it("formats instants to the second in UTC", () => {
    expect(formatInstant(new Date(at))).toBe("2026-11-27 08:28:39 UTC");
    expect(formatInstant("garbage")).toBe("garbage");
  });
  it("links to the inclusion proof by seq", () => {
    expect(inclusionProofHref(42n)).toBe("/api/log/proof/inclusion?seq=42");
  });
});
