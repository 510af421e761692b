import { describe, expect, it } from "vitest";
import { checkpointDue } from "./rules";

const policy = { everyEvents: 1000, everySeconds: 60 };
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, seconds));

describe("checkpointDue", () => {
  it("waits for a first event, then signs at once", () => {
    expect(checkpointDue({ logSize: 0n, latest: null, now: at(0) }, policy)).toBe(false);
    expect(checkpointDue({ logSize: 1n, latest: null, now: at(0) }, policy)).toBe(true);
  });

  it("never signs the same tree twice", () => {
    expect(checkpointDue({ logSize: 5n, latest: { treeSize: 5n, timestamp: at(0) }, now: at(3600) }, policy)).toBe(
      false,
    );
  });

  it("signs after N new events or T seconds, whichever comes first", () => {
    const latest = { treeSize: 100n, timestamp: at(0) };
    expect(checkpointDue({ logSize: 1099n, latest, now: at(59) }, policy)).toBe(false);
    expect(checkpointDue({ logSize: 1100n, latest, now: at(1) }, policy)).toBe(true);
    expect(checkpointDue({ logSize: 101n, latest, now: at(59) }, policy)).toBe(false);
    expect(checkpointDue({ logSize: 101n, latest, now: at(60) }, policy)).toBe(true);
  });
});
