import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditHeadSeq, currentUserOf, eventsAfter, makeUser, untilLockWaiters } from "@/lib/testing/fixtures";
import { deleteAccount } from "@/lib/users/mutations";
import { setDisplayName } from "./mutations";

/** Renames that must be refused, with nothing written: no event, the old name kept. */
async function expectRefused(userId: string, name: string, reason: string) {
  const before = await auditHeadSeq();
  const was = (await currentUserOf(userId))?.name;
  expect(await setDisplayName(userId, name), JSON.stringify(name)).toMatchObject({ ok: false, reason });
  expect((await currentUserOf(userId))?.name).toBe(was);
  expect(await eventsAfter(before)).toEqual([]);
}

describe("display names carry no false identity", () => {
  it("refuses another live user's name, and every look-alike of it", async () => {
    const [ada, mallory] = [await makeUser(), await makeUser()];
    expect(await setDisplayName(ada.id, "Ada Lovelace")).toEqual({ ok: true });
    for (const copy of [
      "Ada Lovelace",
      "ada lovelace",
      "ADA  LOVELACE",
      "Ada_Lovelace",
      "Ada.Lovelace",
      "\u0410da Lovelace", // Cyrillic А
      "Ada Lovelac\u0435", // Cyrillic е
      "Ada L\u03bfvelace", // Greek ο
      "Ada Love1ace", // digit one for l
      "Ada LoveIace", // capital I for l
      "\uff21da Lovelace", // fullwidth A
      "Adá Lovelace", // an accent does not make a new name
    ]) {
      await expectRefused(mallory.id, copy, "NAME_TAKEN");
    }
    expect(await setDisplayName(mallory.id, "Ada Lovelace-Byron")).toEqual({ ok: true });
  });

  it("treats rn and m alike", async () => {
    const [mira, mallory] = [await makeUser(), await makeUser()];
    expect(await setDisplayName(mira.id, "Mira Moon")).toEqual({ ok: true });
    await expectRefused(mallory.id, "rnira rnoon", "NAME_TAKEN");
  });

  it("refuses any user's pseudonym and names shaped like one", async () => {
    const [owner, mallory] = [await makeUser(), await makeUser()];
    const [adjective, noun, digits] = owner.pseudonym.split("-");
    for (const copy of [
      owner.pseudonym,
      owner.pseudonym.toUpperCase(),
      `${adjective} ${noun} ${digits}`,
      `${adjective}_${noun}_${digits}`,
      `${adjective}${noun}${digits}`,
      `${adjective}-${noun}-${digits!.replaceAll("0", "O").replaceAll("1", "l")}`,
      "calm-otter-0412",
      "Swift Falcon 9999",
      "Happy Dog 1234", // the shape, not only the vocabulary
      "Silver Birch 7", // the pseudonym words and a number
    ]) {
      await expectRefused(mallory.id, copy, "NAME_PSEUDONYM");
    }
  });

  it("refuses reserved names, staff and role words, in any disguise", async () => {
    const mallory = await makeUser();
    for (const name of [
      "system",
      "System",
      "\u0405ystem", // Cyrillic Ѕ
      "The System",
      "Plenary",
      "admin",
      "Administrator",
      "Adm1n",
      "Moderator",
      "rnoderator",
      "Demo Moderator",
      "demo_moderator",
      "Demo Moderator Two",
      "Demo Citizen",
      "Demo Admin",
      "Anonymous",
      "Deleted",
      "deleted account",
      "Moderator Alice",
      "Alice (moderator)",
      "alice_admin",
      "AdminAlice",
      "moderatoralice",
      "Alice, Plenary staff",
      "Alice ✓ verified",
      "S Y S T E M",
    ]) {
      await expectRefused(mallory.id, name, "NAME_RESERVED");
    }
  });

  it("refuses names with nothing visible to compare", async () => {
    const mallory = await makeUser();
    for (const name of ["\u3164", "...", "\u2800\u2800", "a\u200db"])
      await expectRefused(mallory.id, name, "NAME_INVALID");
  });

  it("lets only one of two concurrent renames to look-alike names win", async () => {
    const [grace, mallory] = [await makeUser(), await makeUser()];
    // Hold the log's head, so both renames are in flight before either can commit.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`;
      await held;
    });
    const renames = [setDisplayName(grace.id, "Grace Hopper"), setDisplayName(mallory.id, "Grace H\u043epper")];
    await untilLockWaiters(2);
    release();
    await holder;
    const outcomes = await Promise.all(renames);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ ok: false, reason: "NAME_TAKEN" });
    const names = [(await currentUserOf(grace.id))?.name, (await currentUserOf(mallory.id))?.name];
    expect(names.filter((n) => n !== null)).toHaveLength(1);
  });

  it("frees a deleted account's name but never its pseudonym", async () => {
    const [katherine, successor] = [await makeUser(), await makeUser()];
    expect(await setDisplayName(katherine.id, "Katherine Johnson")).toEqual({ ok: true });
    await expectRefused(successor.id, "Katherine Johnson", "NAME_TAKEN");
    expect(await deleteAccount(katherine.id)).toEqual({ ok: true });
    expect(await setDisplayName(successor.id, "Katherine Johnson")).toEqual({ ok: true });
    await expectRefused(successor.id, katherine.pseudonym, "NAME_PSEUDONYM");
  });

  it("lets a user keep, re-case or clear their own name", async () => {
    const user = await makeUser();
    expect(await setDisplayName(user.id, "Hedy Lamarr")).toEqual({ ok: true });
    expect(await setDisplayName(user.id, "Hedy  LAMARR")).toEqual({ ok: true });
    expect((await currentUserOf(user.id))?.name).toBe("Hedy LAMARR");
    expect(await setDisplayName(user.id, null)).toEqual({ ok: true });
    const other = await makeUser();
    expect(await setDisplayName(other.id, "Hedy Lamarr")).toEqual({ ok: true });
  });
});
