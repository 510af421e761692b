import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { appendEvent } from "./append";
import { readEvents, verifyStoredLog } from "./data";
import { toHex } from "./hash";

const userId = () => crypto.randomUUID();

function userCreated(pseudonym: string) {
  return { type: "user.created" as const, actorId: null, userId: userId(), pseudonym, verificationTier: 0 };
}

async function lastSeq(): Promise<bigint> {
  const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
  return head.lastSeq;
}

describe("appendEvent against PostgreSQL", () => {
  it("stores canonical bodies with gapless seq and a valid chain", async () => {
    const before = await lastSeq();
    for (let i = 0; i < 3; i++) {
      await db.$transaction((tx) => appendEvent(tx, userCreated(`steady-heron-000${i}`)));
    }
    const events = await readEvents(before);
    expect(events.map((e) => e.seq)).toEqual([before + 1n, before + 2n, before + 3n]);
    expect(events[0]!.body).toMatch(
      /^\{"actorId":null,"at":"[^"]+","pseudonym":"steady-heron-0000","type":"user.created"/,
    );
    const result = await verifyStoredLog();
    expect(result.ok).toBe(true);
    const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
    expect(toHex(result.head)).toBe(toHex(head.chainHash));
  });

  it("leaves no gap when the caller's transaction rolls back", async () => {
    const before = await lastSeq();
    await expect(
      db.$transaction(async (tx) => {
        await appendEvent(tx, userCreated("calm-crane-0001"));
        throw new Error("the change failed after its event was appended");
      }),
    ).rejects.toThrow("the change failed");
    expect(await lastSeq()).toBe(before);
    const appended = await db.$transaction((tx) => appendEvent(tx, userCreated("calm-crane-0002")));
    expect(appended.seq).toBe(before + 1n);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("rejects an invalid event and rolls back the caller's change with it", async () => {
    const before = await lastSeq();
    const email = `invalid-${Date.now()}@example.test`;
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.create({ data: { pseudonym: `p-${Date.now()}`, email } });
        // @ts-expect-error: a malformed event must be refused at run time too
        await appendEvent(tx, { type: "user.created", actorId: null, userId: "not-a-uuid" });
      }),
    ).rejects.toThrow();
    expect(await lastSeq()).toBe(before);
    expect(await db.user.findUnique({ where: { email } })).toBeNull();
  });

  it("sequences concurrent appends without gaps or forks", async () => {
    const before = await lastSeq();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.$transaction((tx) => appendEvent(tx, userCreated(`keen-lynx-${1000 + i}`))),
      ),
    );
    const events = await readEvents(before);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => before + BigInt(i + 1)));
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("is append-only in PostgreSQL: UPDATE, DELETE and TRUNCATE are refused", async () => {
    await db.$transaction((tx) => appendEvent(tx, userCreated("frank-tern-0001")));
    await expect(db.$executeRawUnsafe(`UPDATE audit_events SET body = '{}' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_events WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE audit_head SET last_seq = last_seq + 5`)).rejects.toThrow(
      /one event at a time/,
    );
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_head`)).rejects.toThrow(/one event at a time/);
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("catches, by seq, a body changed with the trigger disabled", async () => {
    const { seq } = await db.$transaction((tx) => appendEvent(tx, userCreated("tidy-wren-0001")));
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await tx.$executeRawUnsafe(
        `UPDATE audit_events SET body = replace(body, 'tidy-wren-0001', 'tidy-wren-9999') WHERE seq = ${seq}`,
      );
      await tx.$executeRawUnsafe(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    });
    const result = await verifyStoredLog();
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ seq, code: "LEAF_HASH_MISMATCH" });
  });
});
