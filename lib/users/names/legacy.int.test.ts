// Names written before the naming rules: the migration keeps their history, and the start-up
// check keeps the first claim of each skeleton and removes the rest. This file's database
// holds only such legacy accounts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { verifyStoredLog } from "@/lib/audit/data";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { auditHeadSeq, eventsAfter, makeUser } from "@/lib/testing/fixtures";
import { checkStoredNames, setDisplayName } from "./mutations";

const MIGRATION = "prisma/migrations/20261207204500_display_name_history/migration.sql";

/** A rename as the app wrote it before: the name and its event, no skeleton, no history row. */
async function legacyRename(userId: string, name: string) {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { name } });
    await appendEvent(tx, { type: "user.renamed", actorId: userId, userId, nameHash: sha256Hex(name) });
  });
}

describe("names from before the naming rules", () => {
  it("keep their history through the migration, the first claim of each look-alike, and lose what the rules refuse", async () => {
    const [first, copycat, impostor, plain, demo] = [
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser(),
    ];
    await db.user.update({ where: { id: demo.id }, data: { isDemo: true } });
    await legacyRename(copycat.id, "Early Bird"); // renamed away later: its first name claimed nothing
    await legacyRename(first.id, "Lee Legacy");
    await legacyRename(copycat.id, "Lée Legacy");
    await legacyRename(impostor.id, "System");
    await legacyRename(plain.id, "Plain Name");
    await legacyRename(demo.id, "Demo Admin");

    // The migration's history backfill, run against these rows (the template database was empty).
    const backfill = readFileSync(MIGRATION, "utf8")
      .split(/;\s*$/m)
      .find((statement) => statement.includes("INSERT INTO"))!;
    expect(await db.$executeRawUnsafe(backfill)).toBe(5);
    const copycatHistory = await db.userName.findMany({ where: { userId: copycat.id } });
    expect(copycatHistory.map((h) => h.name)).toEqual(["Lée Legacy"]);

    const before = await auditHeadSeq();
    expect(await checkStoredNames()).toEqual({ checked: 5, removed: 2 });
    const names = await Promise.all(
      [first, copycat, impostor, plain, demo].map(
        async (u) => (await db.user.findUniqueOrThrow({ where: { id: u.id } })).name,
      ),
    );
    expect(names).toEqual(["Lee Legacy", null, null, "Plain Name", "Demo Admin"]);
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.userId, e.body.actorId, e.body.nameHash])).toEqual([
      ["user.renamed", copycat.id, null, null],
      ["user.renamed", impostor.id, null, null],
    ]);
    expect((await verifyStoredLog()).ok).toBe(true);

    // Checked once: the skeletons now hold, and a second run finds nothing to do.
    expect(await checkStoredNames()).toEqual({ checked: 0, removed: 0 });
    expect(await setDisplayName(copycat.id, "Lee Legacy")).toMatchObject({ ok: false, reason: "NAME_TAKEN" });
    expect(await setDisplayName(copycat.id, "Plain Name")).toMatchObject({ ok: false, reason: "NAME_TAKEN" });
  });
});
