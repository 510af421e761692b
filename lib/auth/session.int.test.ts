import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeSession, makeUser } from "@/lib/testing/fixtures";
import { deleteAccount } from "@/lib/users/mutations";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./cookies";
import { rememberedSessionOwner, sessionCheck, sessionUser } from "./data";

const DAY = 86_400_000;

const expiresOf = async (sessionToken: string) =>
  (await db.session.findUnique({ where: { sessionToken } }))?.expires ?? null;

describe("sessionUser", () => {
  it("reads the session's user with roles, and no one for an unknown token", async () => {
    const user = await makeUser("MODERATOR");
    const token = await makeSession(user.id, new Date(Date.now() + 10 * DAY));
    expect(await sessionUser(token)).toMatchObject({
      id: user.id,
      pseudonym: user.pseudonym,
      roles: ["CITIZEN", "MODERATOR"],
      strata: null,
    });
    expect(await sessionUser(randomBytes(32).toString("hex"))).toBeNull();
  });

  it("ends an expired session and deletes it, as next-auth does", async () => {
    const user = await makeUser();
    const now = new Date();
    const token = await makeSession(user.id, new Date(now.getTime() - 1_000));
    expect(await sessionUser(token, now)).toBeNull();
    expect(await expiresOf(token)).toBeNull();
  });

  it("pushes a session's expiry back once a day while it is used", async () => {
    const user = await makeUser();
    const now = new Date();
    // Written less than a day ago: left alone.
    const fresh = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000 - 3_600_000);
    const recent = await makeSession(user.id, fresh);
    expect(await sessionUser(recent, now)).toMatchObject({ id: user.id });
    expect(await expiresOf(recent)).toEqual(fresh);
    // Written more than a day ago: renewed for the full length.
    const old = await makeSession(
      user.id,
      new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000 - SESSION_UPDATE_AGE_SECONDS * 1000 - 1_000),
    );
    expect(await sessionUser(old, now)).toMatchObject({ id: user.id });
    expect(await expiresOf(old)).toEqual(new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000));
  });

  it("sees role changes and account deletion at once", async () => {
    const user = await makeUser("MODERATOR");
    const token = await makeSession(user.id, new Date(Date.now() + 10 * DAY));
    await db.userRole.deleteMany({ where: { userId: user.id } });
    expect((await sessionUser(token))?.roles).toEqual(["CITIZEN"]);
    // A deleted account is nobody even if a session of it were left behind.
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    expect(await sessionUser(token)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { deletedAt: null } });
    expect(await sessionUser(token)).toMatchObject({ id: user.id });
    // Deleting the account through the service ends its sessions too.
    expect((await deleteAccount(user.id)).ok).toBe(true);
    expect(await sessionUser(token)).toBeNull();
    expect(await expiresOf(token)).toBeNull();
  });

  it("remembers whose a session was while it reads as active, and forgets it when it does not", async () => {
    const user = await makeUser();
    const token = await makeSession(user.id, new Date(Date.now() + 10 * DAY));
    expect(rememberedSessionOwner(token)).toBeUndefined();
    await sessionUser(token);
    expect(rememberedSessionOwner(token)).toBe(user.id);
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    expect(await sessionUser(token)).toBeNull();
    expect(rememberedSessionOwner(token)).toBeUndefined();
    await db.user.update({ where: { id: user.id }, data: { deletedAt: null } });
    await sessionUser(token);
    await db.session.deleteMany({ where: { sessionToken: token } });
    expect(await sessionUser(token)).toBeNull();
    expect(rememberedSessionOwner(token)).toBeUndefined();
  });

  it("ends a demo account's session whenever demo sign-in is off, checked on every read", async () => {
    const admin = await makeUser("ADMIN");
    await db.user.update({ where: { id: admin.id }, data: { isDemo: true } });
    const token = await makeSession(admin.id, new Date(Date.now() + 10 * DAY));
    const saved = process.env.PLENARY_DEMO;
    try {
      // Signed in while the site ran as a demo: the session holds, with the account's roles.
      process.env.PLENARY_DEMO = "1";
      expect(await sessionUser(token)).toMatchObject({ id: admin.id, roles: ["CITIZEN", "ADMIN"] });
      expect(rememberedSessionOwner(token)).toBe(admin.id);
      // The same process (or a restart) with demo off: nobody, and nothing remembered for
      // the vote path to act on.
      process.env.PLENARY_DEMO = "0";
      expect(await sessionUser(token)).toBeNull();
      expect(rememberedSessionOwner(token)).toBeUndefined();
      // Demo on again: the session was left alone, so it works again.
      process.env.PLENARY_DEMO = "1";
      expect(await sessionUser(token)).toMatchObject({ id: admin.id });
      // A real account is not affected by the setting.
      process.env.PLENARY_DEMO = "0";
      const real = await makeUser("ADMIN");
      expect(await sessionUser(await makeSession(real.id))).toMatchObject({ id: real.id, roles: ["CITIZEN", "ADMIN"] });
    } finally {
      if (saved === undefined) delete process.env.PLENARY_DEMO;
      else process.env.PLENARY_DEMO = saved;
    }
  });

  it("states the renewal rule for a statement that checks the session itself", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    expect(sessionCheck("t", now)).toEqual({
      token: "t",
      renewBefore: new Date(now.getTime() + (SESSION_MAX_AGE_SECONDS - SESSION_UPDATE_AGE_SECONDS) * 1000),
      renewTo: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    });
  });
});
