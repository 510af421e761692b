import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher";

type Call = { key: string; n: number };

/** A batcher whose groups wait until released, recording what was sent how. */
function harness({ inFlight = 1, maxBatch = 10, failMany = false } = {}) {
  const sent: { how: "one" | "many"; ns: number[] }[] = [];
  const gates: (() => void)[] = [];
  const hold = () => new Promise<void>((resolve) => gates.push(resolve));
  const batcher = new Batcher<Call, string>({
    inFlight,
    maxBatch,
    keyOf: (call) => call.key,
    runOne: async (call) => {
      sent.push({ how: "one", ns: [call.n] });
      await hold();
      if (call.key === "bad") throw new Error(`call ${call.n} failed`);
      return `one ${call.n}`;
    },
    runMany: async (calls) => {
      sent.push({ how: "many", ns: calls.map((c) => c.n) });
      await hold();
      if (failMany || calls.some((c) => c.key === "bad")) throw new Error("the group failed");
      return calls.map((c) => `many ${c.n}`);
    },
  });
  /** Let every call sent so far finish, and whatever they started, until nothing is held. */
  const drain = async () => {
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 0));
      if (gates.length === 0) return;
      for (const release of gates.splice(0)) release();
    }
  };
  return { batcher, sent, drain };
}

describe("Batcher", () => {
  it("runs a call alone at once when a slot is free", async () => {
    const { batcher, sent, drain } = harness();
    const result = batcher.run({ key: "a", n: 1 });
    expect(sent).toEqual([{ how: "one", ns: [1] }]);
    await drain();
    await expect(result).resolves.toBe("one 1");
  });

  it("groups the calls that arrive while the slots are busy, each getting its own result", async () => {
    const { batcher, sent, drain } = harness({ inFlight: 1 });
    const results = [1, 2, 3, 4].map((n) => batcher.run({ key: `k${n}`, n }));
    expect(sent).toEqual([{ how: "one", ns: [1] }]);
    await drain();
    await expect(Promise.all(results)).resolves.toEqual(["one 1", "many 2", "many 3", "many 4"]);
    expect(sent).toEqual([
      { how: "one", ns: [1] },
      { how: "many", ns: [2, 3, 4] },
    ]);
    expect(batcher.stats).toEqual({ groups: 2, calls: 4, fallbacks: 0 });
  });

  it("never puts two calls with one key in a group or in two groups at once", async () => {
    const { batcher, sent, drain } = harness({ inFlight: 2 });
    const results = [
      batcher.run({ key: "a", n: 1 }),
      batcher.run({ key: "a", n: 2 }),
      batcher.run({ key: "b", n: 3 }),
      batcher.run({ key: "a", n: 4 }),
      batcher.run({ key: "c", n: 5 }),
    ];
    // Call 1 takes the first slot; call 2 waits, its key running, so call 3 takes the second.
    expect(sent).toEqual([
      { how: "one", ns: [1] },
      { how: "one", ns: [3] },
    ]);
    await drain();
    await expect(Promise.all(results)).resolves.toHaveLength(5);
    expect(sent.flatMap((s) => s.ns).sort()).toEqual([1, 2, 3, 4, 5]);
    for (let i = 0; i < sent.length; i++) {
      const keys = sent[i]!.ns.map((n) => ["a", "a", "b", "a", "c"][n - 1]);
      expect(new Set(keys).size).toBe(keys.length);
    }
    // Key a's calls ran one after another, in order.
    const order = sent.flatMap((s) => s.ns).filter((n) => [1, 2, 4].includes(n));
    expect(order).toEqual([1, 2, 4]);
  });

  it("keeps groups to maxBatch calls", async () => {
    const { batcher, sent, drain } = harness({ inFlight: 1, maxBatch: 2 });
    const results = [1, 2, 3, 4, 5, 6].map((n) => batcher.run({ key: `k${n}`, n }));
    await drain();
    await Promise.all(results);
    expect(sent.map((s) => s.ns)).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it("runs each call of a failed group alone, so one bad call fails alone", async () => {
    const { batcher, sent, drain } = harness({ inFlight: 1 });
    const first = batcher.run({ key: "a", n: 1 });
    const group = [batcher.run({ key: "b", n: 2 }), batcher.run({ key: "bad", n: 3 }), batcher.run({ key: "c", n: 4 })];
    const outcomes = Promise.allSettled(group);
    await drain();
    await expect(first).resolves.toBe("one 1");
    const settled = await outcomes;
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([
      "one 2",
      "call 3 failed",
      "one 4",
    ]);
    expect(sent.map((s) => s.how)).toEqual(["one", "many", "one", "one", "one"]);
    expect(batcher.stats.fallbacks).toBe(1);
  });

  it("fails the whole group, without running it again, if it answers for the wrong number of calls", async () => {
    const batcher = new Batcher<Call, string>({
      inFlight: 1,
      maxBatch: 10,
      keyOf: (call) => call.key,
      runOne: async (call) => {
        await new Promise((r) => setTimeout(r, 5));
        return `one ${call.n}`;
      },
      runMany: async () => ["only one"],
    });
    const first = batcher.run({ key: "a", n: 1 });
    const group = Promise.allSettled([batcher.run({ key: "b", n: 2 }), batcher.run({ key: "c", n: 3 })]);
    await expect(first).resolves.toBe("one 1");
    expect((await group).map((s) => s.status === "rejected" && (s.reason as Error).message)).toEqual([
      "A group of 2 calls returned 1 results.",
      "A group of 2 calls returned 1 results.",
    ]);
    expect(batcher.stats).toEqual({ groups: 2, calls: 3, fallbacks: 0 });
  });

  it("refuses settings that would never run anything", () => {
    const options = { keyOf: () => "", runOne: async () => "", runMany: async () => [] };
    expect(() => new Batcher({ ...options, inFlight: 0, maxBatch: 1 })).toThrow(RangeError);
    expect(() => new Batcher({ ...options, inFlight: 1, maxBatch: 0 })).toThrow(RangeError);
  });
});
