import { describe, expect, it } from "vitest";
import { auditEventSchema, type AuditEvent } from "@/lib/audit/events";
import { TallyFacts } from "@/lib/tally/from-log";
import { DecisionChecker, readsHistory } from "./decisions";
import { ReleaseFacts } from "./facts";
import { REPLAYED_TYPES } from "./replayed";
import { reliabilityStory } from "./fixtures";

const ALL_TYPES = auditEventSchema.options.map((option) => option.shape.type.value);

/** The fields TallyFacts.apply and ReleaseFacts.apply (the derived files' replay) read from an event of `type`. */
function fieldsRead(type: string): string[] {
  const read: string[] = [];
  const event = new Proxy(
    { type },
    { get: (target, key) => (read.push(String(key)), key === "type" ? type : undefined) },
  );
  for (const replay of [
    (e: AuditEvent) => new TallyFacts().apply(e),
    (e: AuditEvent) => new ReleaseFacts().apply(1, e),
  ]) {
    try {
      replay(event as unknown as AuditEvent);
    } catch {
      // Reading a field of an empty event may throw; what counts is that it was read.
    }
  }
  return read.filter((key) => key !== "type");
}

describe("the decision replay", () => {
  it("reads exactly the event types TallyFacts and ReleaseFacts keep, so the others can stay in the worker threads", () => {
    expect(ALL_TYPES.filter((type) => fieldsRead(type).length > 0).sort()).toEqual([...REPLAYED_TYPES].sort());
  });

  it("keeps only the votes its decisions can read, and says so when a reliability history needs more", () => {
    const log = reliabilityStory();
    const replay = (alsoKept: string[]) => {
      const checker = new DecisionChecker(log.records, alsoKept);
      for (const { seq, body, leaf } of log.events) checker.apply(seq, auditEventSchema.parse(JSON.parse(body)), leaf);
      checker.finish();
      return checker;
    };
    expect(readsHistory(log.records)).toBe(true);
    const short = replay([]);
    expect(short.incomplete).toBe(true);
    expect(short.kept).toEqual(new Set(log.records.map((r) => r.datapoint_id)));
    const full = replay([...short.finalizedDatapoints]);
    expect(full).toMatchObject({ incomplete: false, checked: 1, findings: [] });
  });

  it("needs no history for decisions under other policies", () => {
    const log = reliabilityStory({ recordHistory: true });
    const equal = log.records.filter((r) => !r.tally.includes('"policyKind":"reliability"'));
    expect(equal.length).toBeGreaterThan(0);
    expect(readsHistory(equal)).toBe(false);
    const checker = new DecisionChecker(equal);
    for (const { seq, body, leaf } of log.events) checker.apply(seq, auditEventSchema.parse(JSON.parse(body)), leaf);
    checker.finish();
    expect(checker).toMatchObject({ incomplete: false, checked: equal.length, findings: [] });
  });
});
