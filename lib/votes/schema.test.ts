import { describe, expect, it } from "vitest";
import { voteInputSchema } from "./schema";

const vote = {
  datapointId: "00000000-0000-4000-8000-000000000000",
  option: "A",
  idempotencyKey: "11111111-1111-4111-8111-111111111111",
};

describe("voteInputSchema", () => {
  it("takes a vote with or without a rationale", () => {
    expect(voteInputSchema.parse(vote)).toMatchObject({ option: "A", rationale: null });
    expect(voteInputSchema.parse({ ...vote, rationale: "  Clearer.  " }).rationale).toBe("Clearer.");
  });

  it("refuses NUL characters, which PostgreSQL text cannot hold, with a sentence", () => {
    const rationale = voteInputSchema.safeParse({ ...vote, rationale: "a\u0000b" });
    expect(rationale.success).toBe(false);
    expect(rationale.error?.issues[0]?.message).toMatch(/NUL/);
    expect(voteInputSchema.safeParse({ ...vote, option: "A\u0000" }).success).toBe(false);
  });
});
