import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import type { AuditEvent } from "./events";
import { GENESIS_CHAIN_HASH, chainHash, equalBytes, leafHash } from "./hash";
import { ChainVerifier, LEAF_HASH_MISMATCH, checkBody, verifyChain, type StoredEvent } from "./verify";

const USER = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

function sampleEvents(): AuditEvent[] {
  return [1, 2, 3, 4, 5].map((n) => ({
    type: "user.created",
    at: `2026-11-0${n}T10:00:00.000Z`,
    actorId: null,
    userId: USER,
    pseudonym: `calm-otter-000${n}`,
    verificationTier: n % 2,
  }));
}

/** Build a correctly chained log the way appendEvent does. */
function chain(events: AuditEvent[]): StoredEvent[] {
  let previous = GENESIS_CHAIN_HASH;
  return events.map((event, i) => {
    const body = canonicalJson(event);
    const leaf = leafHash(body);
    previous = chainHash(previous, leaf);
    return { seq: BigInt(i + 1), type: event.type, body, leafHash: leaf, chainHash: previous };
  });
}

describe("verifyChain", () => {
  it("accepts an intact log and reports its head", () => {
    const log = chain(sampleEvents());
    const result = verifyChain(log);
    expect(result.ok).toBe(true);
    expect(result.count).toBe(5);
    expect(result.lastSeq).toBe(5n);
    expect(result.head).toEqual(log[4]!.chainHash);
  });

  it("names the seq of a tampered body", () => {
    const log = chain(sampleEvents());
    log[2] = { ...log[2]!, body: log[2]!.body.replace("calm-otter-0003", "calm-otter-9999") };
    const result = verifyChain(log);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.seq, p.code])).toEqual([
      [3n, "LEAF_HASH_MISMATCH"],
      [3n, "CHAIN_HASH_MISMATCH"],
    ]);
  });

  it("catches a body rewritten together with its stored leaf hash", () => {
    const log = chain(sampleEvents());
    const body = log[1]!.body.replace('"verificationTier":0', '"verificationTier":3');
    log[1] = { ...log[1]!, body, leafHash: leafHash(body) };
    expect(verifyChain(log).problems).toEqual([expect.objectContaining({ seq: 2n, code: "CHAIN_HASH_MISMATCH" })]);
  });

  it("detects reordered events", () => {
    const log = chain(sampleEvents());
    const reordered = [log[0]!, log[2]!, log[1]!, log[3]!, log[4]!];
    const codes = verifyChain(reordered).problems.map((p) => `${p.seq}:${p.code}`);
    expect(codes).toContain("3:SEQ_GAP");
    expect(codes).toContain("3:CHAIN_HASH_MISMATCH");
    expect(codes).toContain("2:SEQ_GAP");
  });

  it("detects a missing event", () => {
    const log = chain(sampleEvents());
    const result = verifyChain([log[0]!, log[1]!, log[3]!, log[4]!]);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ seq: 4n, code: "SEQ_GAP" });
    expect(result.problems.some((p) => p.seq === 4n && p.code === "CHAIN_HASH_MISMATCH")).toBe(true);
  });

  it("detects a truncated first event (the log must start at seq 1)", () => {
    const log = chain(sampleEvents());
    expect(verifyChain(log.slice(1)).problems[0]).toMatchObject({ seq: 2n, code: "SEQ_GAP" });
  });

  it("rejects bodies that are not canonical, not events, or of another type", () => {
    const [first] = chain(sampleEvents());
    const spaced = first!.body.replace(":", ": ");
    const notCanonical = {
      ...first!,
      body: spaced,
      leafHash: leafHash(spaced),
      chainHash: chainHash(GENESIS_CHAIN_HASH, leafHash(spaced)),
    };
    expect(verifyChain([notCanonical]).problems.map((p) => p.code)).toEqual(["NOT_CANONICAL"]);

    const bogus = canonicalJson({ type: "vote.cast", at: "2026-11-01T00:00:00.000Z" });
    const invalid = {
      seq: 1n,
      type: "vote.cast",
      body: bogus,
      leafHash: leafHash(bogus),
      chainHash: chainHash(GENESIS_CHAIN_HASH, leafHash(bogus)),
    };
    expect(verifyChain([invalid]).problems.map((p) => p.code)).toEqual(["INVALID_EVENT"]);

    expect(verifyChain([{ ...first!, type: "role.granted" }]).problems.map((p) => p.code)).toEqual(["TYPE_MISMATCH"]);
  });

  it("continues from a trusted prefix", () => {
    const log = chain(sampleEvents());
    const verifier = new ChainVerifier({ seq: 2n, chainHash: log[1]!.chainHash });
    for (const event of log.slice(2)) verifier.push(event);
    expect(verifier.result()).toMatchObject({ ok: true, count: 3, lastSeq: 5n });
  });
});

describe("checkBody and pushChecked (the halves of push that the offline verifier runs apart)", () => {
  it("report what push reports, in the same order, on tampered logs", () => {
    const log = chain(sampleEvents());
    const tampered: StoredEvent[] = [
      log[0]!,
      { ...log[1]!, body: log[1]!.body.replace("calm-otter-0002", "calm-otter-9999") },
      { ...log[2]!, seq: 7n, type: "role.granted" },
      { ...log[3]!, body: log[3]!.body.replace(":", ": ") },
      { ...log[4]!, body: "not json", leafHash: leafHash("not json") },
    ];
    const whole = verifyChain(tampered);
    const halves = new ChainVerifier();
    for (const event of tampered) {
      const checked = checkBody(event.type, event.body);
      const leaf = leafHash(event.body);
      const problems = equalBytes(leaf, event.leafHash) ? checked.problems : [...checked.problems, LEAF_HASH_MISMATCH];
      halves.pushChecked(event.seq, event.chainHash, leaf, problems);
    }
    expect(halves.result()).toEqual(whole);
    expect(whole.problems.map((p) => `${p.seq}:${p.code}`)).toEqual([
      "2:LEAF_HASH_MISMATCH",
      "2:CHAIN_HASH_MISMATCH",
      "7:SEQ_GAP",
      "7:TYPE_MISMATCH",
      "4:SEQ_GAP",
      "4:NOT_CANONICAL",
      "4:LEAF_HASH_MISMATCH",
      "4:CHAIN_HASH_MISMATCH",
      "5:NOT_CANONICAL",
      "5:CHAIN_HASH_MISMATCH",
    ]);
  });

  it("reports a body that RFC 8785 cannot represent (a lone surrogate) as not canonical", () => {
    const body =
      '{"actorId":null,"at":"2026-11-01T10:00:00.000Z","pseudonym":"\\ud800","type":"user.created","userId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","verificationTier":0}';
    const event = {
      seq: 1n,
      type: "user.created",
      body,
      leafHash: leafHash(body),
      chainHash: chainHash(GENESIS_CHAIN_HASH, leafHash(body)),
    };
    expect(verifyChain([event]).problems.map((p) => [p.code, p.detail])).toEqual([
      ["NOT_CANONICAL", "body is not RFC 8785 canonical JSON"],
    ]);
  });
});
