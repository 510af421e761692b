import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map";

describe("BoundedMap", () => {
  it("drops the oldest entry beyond its limit, a key set again counting as newest", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    map.set("a", 3); // a is now the newest
    map.set("c", 4);
    expect([...map.entries()]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
    expect(map.size).toBe(2);
  });

  it("refuses a limit that would keep nothing", () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
