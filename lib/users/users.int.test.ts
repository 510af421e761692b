import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyStoredLog } from "@/lib/audit/data";
import { sha256Hex } from "@/lib/audit/hash";
import { db } from "@/lib/db";
import { auditHeadSeq, currentUserOf, eventsAfter, makeBatch, makeUser } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";
import { changeRole, createSignInUser, declareStrata, deleteAccount, setVerificationTier } from "./mutations";
import { setDisplayName } from "./names/mutations";

describe("accounts and roles", () => {
  it("creates sign-in accounts with a pseudonym and a user.created event, and no provider name", async () => {
    const before = await auditHeadSeq();
    const user = await createSignInUser({ email: "New.Person@Example.test", emailVerified: new Date() });
    expect(user.email).toBe("new.person@example.test");
    expect(user.name).toBeNull();
    expect(user.pseudonym).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
    const events = await eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "user.created",
        body: expect.objectContaining({ userId: user.id, pseudonym: user.pseudonym }),
      }),
    ]);
    expect(JSON.stringify(events.map((e) => e.body))).not.toContain("example.test");
  });

  it("renames with one event that holds only the name's hash", async () => {
    const user = await makeUser();
    const before = await auditHeadSeq();
    expect(await setDisplayName(user.id, "Ada L.")).toEqual({ ok: true });
    expect((await currentUserOf(user.id))?.name).toBe("Ada L.");
    const events = await eventsAfter(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "user.renamed",
        body: expect.objectContaining({ nameHash: sha256Hex("Ada L.") }),
      }),
    ]);
    expect(JSON.stringify(events.map((e) => e.body))).not.toContain("Ada");
  });

  it("grants and revokes roles with audit events, and keeps the last admin", async () => {
    const admin = await makeUser("ADMIN");
    const target = await makeUser();
    const before = await auditHeadSeq();
    expect(await changeRole(target.id, "MODERATOR", true, admin.id)).toEqual({ ok: true });
    expect(await changeRole(target.id, "MODERATOR", true, admin.id)).toEqual({ ok: true }); // already held: no event
    expect((await currentUserOf(target.id))?.roles).toEqual(["CITIZEN", "MODERATOR"]);
    expect(await changeRole(target.id, "MODERATOR", false, admin.id)).toEqual({ ok: true });
    expect((await currentUserOf(target.id))?.roles).toEqual(["CITIZEN"]);
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.role, e.body.actorId])).toEqual([
      ["role.granted", "MODERATOR", admin.id],
      ["role.revoked", "MODERATOR", admin.id],
    ]);

    const admins = await db.userRole.count({ where: { role: "ADMIN" } });
    expect(admins).toBe(1);
    expect(await changeRole(admin.id, "ADMIN", false, admin.id)).toMatchObject({ ok: false, reason: "LAST_ADMIN" });
    expect(await changeRole(randomUUID(), "ADMIN", true, admin.id)).toMatchObject({ ok: false, reason: "NOT_FOUND" });
  });

  it("deletes an account: personal data erased, votes kept under the pseudonym", async () => {
    const batch = await makeBatch();
    const user = await makeUser("RESEARCHER");
    await setDisplayName(user.id, "Grace");
    await db.session.create({
      data: { sessionToken: `t-${randomUUID()}`, userId: user.id, expires: new Date(Date.now() + 3_600_000) },
    });
    expect(
      await castVote(
        { datapointId: batch.pairwise, option: "A", rationale: null, idempotencyKey: randomUUID() },
        user.id,
      ),
    ).toMatchObject({ ok: true });

    const before = await auditHeadSeq();
    expect(await deleteAccount(user.id)).toEqual({ ok: true });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { roles: true, sessions: true } });
    expect(row).toMatchObject({ email: null, name: null, image: null, pseudonym: user.pseudonym });
    expect(row.deletedAt).not.toBeNull();
    expect(row.roles).toEqual([]);
    expect(row.sessions).toEqual([]);
    expect(await currentUserOf(user.id)).toBeNull();
    expect(await db.vote.count({ where: { userId: user.id } })).toBe(1);
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.revokedRoles])).toEqual([["user.deleted", ["RESEARCHER"]]]);
    expect(await deleteAccount(user.id)).toMatchObject({ ok: false, reason: "NOT_FOUND" });
    expect((await verifyStoredLog()).ok).toBe(true);
  });

  it("records tier changes and strata declarations as facts in the log", async () => {
    const admin = await makeUser("ADMIN");
    const user = await makeUser();
    const before = await auditHeadSeq();
    expect(await setVerificationTier(user.id, 2, admin.id)).toEqual({ ok: true });
    expect(await setVerificationTier(user.id, 2, admin.id)).toEqual({ ok: true }); // unchanged: no event
    expect(await declareStrata(user.id, { region: "europe", age: "35-54" })).toEqual({ ok: true });
    expect((await currentUserOf(user.id))?.strata).toEqual({ region: "europe", age: "35-54" });
    expect(await declareStrata(user.id, null)).toEqual({ ok: true });
    expect((await currentUserOf(user.id))?.strata).toBeNull();
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.type, e.body.verificationTier ?? e.body.strata])).toEqual([
      ["user.tier_changed", 2],
      ["user.strata_declared", { region: "europe", age: "35-54" }],
      ["user.strata_declared", null],
    ]);
  });
});
