import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { db } from "@/lib/db";
import { DEMO_ACCOUNTS } from "./demo-accounts";
import { seedDemo } from "./mutations";

describe("demo seed", () => {
  it("publishes the demo content through the import service, every datapoint with its audit event", async () => {
    const report = await seedDemo();
    const policyFiles = readdirSync("prisma/seed/policies").filter((f) => f.endsWith(".json")).length;
    expect(report.policies).toBe(policyFiles);
    expect(report.users).toBe(DEMO_ACCOUNTS.length);
    expect(report.batches).toBe(3);
    expect(report.datapoints).toBeGreaterThanOrEqual(40);

    const datapoints = await db.datapoint.findMany({
      select: { id: true, contentHash: true, kind: true, category: true },
    });
    expect(datapoints).toHaveLength(report.datapoints);
    expect(new Set(datapoints.map((d) => d.kind))).toEqual(new Set(["PAIRWISE", "RATING", "CLASSIFICATION"]));
    expect(new Set(datapoints.map((d) => d.category))).toEqual(new Set(["helpfulness", "harmlessness", "honesty"]));

    const published = await db.auditEvent.findMany({
      where: { type: "datapoint.published" },
      select: { body: true, datapointId: true },
    });
    expect(published).toHaveLength(datapoints.length);
    const hashes = new Map(datapoints.map((d) => [d.id, d.contentHash]));
    for (const event of published) {
      const body = JSON.parse(event.body) as { datapointId: string; contentHash: string };
      expect(event.datapointId).toBe(body.datapointId);
      expect(hashes.get(body.datapointId)).toBe(body.contentHash);
    }

    for (const account of DEMO_ACCOUNTS) {
      const user = await db.user.findUniqueOrThrow({ where: { email: account.email }, include: { roles: true } });
      expect(user.isDemo).toBe(true);
      expect(user.roles.map((r) => r.role)).toEqual(account.role === "CITIZEN" ? [] : [account.role]);
    }

    const verified = await verifyStoredLog();
    expect(verified.ok).toBe(true);
    expect(verified.count).toBe(
      policyFiles +
        DEMO_ACCOUNTS.length +
        DEMO_ACCOUNTS.filter((a) => a.role !== "CITIZEN").length +
        3 +
        datapoints.length,
    );
  });

  it("adds nothing when run again", async () => {
    const before = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(await seedDemo()).toEqual({ policies: 0, users: 0, batches: 0, datapoints: 0 });
    const after = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(after.lastSeq).toBe(before.lastSeq);
  });
});
