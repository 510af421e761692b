// Each enum of lib/domain/schema.ts is the Prisma enum of the same name, value for value and
// in order, so the TypeScript side and the database cannot drift apart.
import { describe, expect, it } from "vitest";
import * as prisma from "@/lib/generated/prisma/enums";
import * as domain from "@/lib/domain/schema";

describe("the domain's enums", () => {
  const pairs: [string, readonly string[], Record<string, string>][] = [
    ["DatapointKind", domain.DATAPOINT_KINDS, prisma.DatapointKind],
    ["DatapointStatus", domain.DATAPOINT_STATUSES, prisma.DatapointStatus],
    ["DecisionStatus", domain.DECISION_STATUSES, prisma.DecisionStatus],
    ["OverrideReason", domain.OVERRIDE_REASONS, prisma.OverrideReason],
    ["FlagReason", domain.FLAG_REASONS, prisma.FlagReason],
    ["Role", domain.ROLES, prisma.Role],
    ["PolicyKind", domain.POLICY_KINDS, prisma.PolicyKind],
    ["TallyVisibility", domain.TALLY_VISIBILITIES, prisma.TallyVisibility],
    ["AppealStatus", domain.APPEAL_STATUSES, prisma.AppealStatus],
  ];
  it.each(pairs)("%s is the Prisma enum", (_name, ours, theirs) => {
    expect([...ours]).toEqual(Object.values(theirs));
  });

  it("covers every enum of the schema", () => {
    expect(pairs.map(([name]) => name).sort()).toEqual(Object.keys(prisma).sort());
  });

  it("maps each import kind to a kind", () => {
    expect(Object.values(domain.KIND_OF_RECORD).sort()).toEqual([...domain.DATAPOINT_KINDS].sort());
  });

  it("knows a slug and a digest", () => {
    expect(["helpfulness-nov-2026", "a", "x1-2"].every(domain.isSlug)).toBe(true);
    expect(["Not A Slug", "-a", "a--b", "a-", "", "a".repeat(81)].some(domain.isSlug)).toBe(false);
    expect(domain.SHA256_HEX.test("0".repeat(64))).toBe(true);
    expect(domain.SHA256_HEX.test("A".repeat(64))).toBe(false);
  });
});
