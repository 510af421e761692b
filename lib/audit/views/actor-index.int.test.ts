// The /audit page's actor filter reads one actor's events through an index, not by parsing
// every body of the log: the condition findAuditEvents uses is the indexed expression.
import { describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { makeUser } from "@/lib/testing/fixtures";
import { actorCondition, findAuditEvents } from "./data";

async function plan(condition: Prisma.Sql): Promise<string> {
  return db.$transaction(async (tx) => {
    // A test log is small enough that a sequential scan is cheaper; forbid it to see whether the index serves.
    await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
    const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>`
      EXPLAIN SELECT seq FROM audit_events WHERE ${condition} ORDER BY seq DESC LIMIT 51`;
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

describe("the actor filter", () => {
  it("is served by the actor index, for a person and for the system", async () => {
    const user = await makeUser();
    expect(await plan(actorCondition(user.id))).toContain("audit_events_actor_seq_idx");
    expect(await plan(actorCondition(null))).toContain("audit_events_actor_seq_idx");
  });

  it("still finds exactly the actor's events", async () => {
    const user = await makeUser();
    await db.$transaction((tx) =>
      appendEvent(tx, { type: "user.strata_declared", actorId: user.id, userId: user.id, strata: { region: "eu" } }),
    );
    const page = await findAuditEvents({ actor: user.pseudonym });
    expect(page.unknownActor).toBe(false);
    expect(page.events.map((event) => event.type)).toEqual(["user.strata_declared"]);
    expect(page.events.every((event) => event.actor?.pseudonym === user.pseudonym)).toBe(true);
    const system = await findAuditEvents({ actor: "system" });
    expect(system.events.every((event) => event.actor === null)).toBe(true);
  });
});
