import { describe, expect, it } from "vitest";
import { countVotes, summarizeCounts } from "./counts";

describe("vote counts", () => {
  it("counts per option in the given order, ignoring unknown options", () => {
    const result = countVotes(["A", "B", "TIE"], [{ option: "B" }, { option: "A" }, { option: "B" }, { option: "X" }]);
    expect(result).toEqual({
      total: 3,
      options: [
        { option: "A", count: 1, share: 1 / 3 },
        { option: "B", count: 2, share: 2 / 3 },
        { option: "TIE", count: 0, share: 0 },
      ],
    });
  });

  it("has zero shares, not NaN, without votes", () => {
    expect(summarizeCounts(["A"], new Map())).toEqual({ total: 0, options: [{ option: "A", count: 0, share: 0 }] });
  });
});
