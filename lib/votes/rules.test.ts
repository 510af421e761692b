import { describe, expect, it } from "vitest";
import { isValidOption, responseOrder, tallyVisibleTo, votingState } from "./rules";

const batch = { opensAt: new Date("2026-11-01T00:00:00Z"), closesAt: new Date("2026-12-01T00:00:00Z") };
const during = new Date("2026-11-15T00:00:00Z");

describe("voting rules", () => {
  it("accepts votes only while the datapoint and its batch are open", () => {
    expect(votingState("OPEN", batch, during)).toEqual({ open: true });
    expect(votingState("REOPENED", batch, during)).toEqual({ open: true });
    expect(votingState("OPEN", batch, new Date("2026-12-01T00:00:00Z"))).toMatchObject({
      open: false,
      reason: "VOTING_CLOSED",
    });
    expect(votingState("CLOSED", batch, during)).toMatchObject({ open: false, reason: "VOTING_CLOSED" });
    expect(votingState("FINALIZED", batch, during)).toMatchObject({ open: false, reason: "FINALIZED" });
    expect(votingState("DRAFT", batch, during)).toMatchObject({ open: false, reason: "NOT_OPEN_YET" });
    expect(votingState("OPEN", batch, new Date("2026-10-01T00:00:00Z"))).toMatchObject({
      open: false,
      reason: "NOT_OPEN_YET",
    });
  });

  it("validates options per kind", () => {
    expect(isValidOption("PAIRWISE", {}, "BOTH_BAD")).toBe(true);
    expect(isValidOption("PAIRWISE", {}, "C")).toBe(false);
    const scale = { question: "q", min: 1, max: 5, minCaption: "a", maxCaption: "b" };
    expect(isValidOption("RATING", scale, "5")).toBe(true);
    expect(isValidOption("RATING", scale, "6")).toBe(false);
    const classes = { question: "q", classes: [{ id: "spam", caption: "Spam" }] };
    expect(isValidOption("CLASSIFICATION", classes, "spam")).toBe(true);
    expect(isValidOption("CLASSIFICATION", classes, "ham")).toBe(false);
  });

  it("orders responses randomly per voter but stably for each voter", () => {
    const ids = ["A", "B"];
    const dp = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const orders = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const user = `0193a1b2-c3d4-7e5f-8a9b-${String(i).padStart(12, "0")}`;
      const order = responseOrder(user, dp, ids);
      expect(responseOrder(user, dp, ids)).toEqual(order);
      expect([...order].sort()).toEqual(ids);
      orders.add(order.join(""));
    }
    expect(orders).toEqual(new Set(["AB", "BA"]));
  });

  it("hides the tally until the voter's own vote, or until close", () => {
    expect(tallyVisibleTo("AFTER_OWN_VOTE", false, true)).toBe(false);
    expect(tallyVisibleTo("AFTER_OWN_VOTE", true, true)).toBe(true);
    expect(tallyVisibleTo("AFTER_CLOSE", true, true)).toBe(false);
    expect(tallyVisibleTo("AFTER_CLOSE", false, false)).toBe(true);
  });
});
