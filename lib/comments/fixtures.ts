// Test data for the discussion's integration tests (*.int.test.ts), which each run on a
// fresh database of their own. It goes through the real import and user services, so
// the audit log it leaves is a valid chain like any other.
import { expect } from "vitest";
import { parseImportJsonl } from "@/lib/imports/jsonl";
import { importRecords } from "@/lib/imports/mutations";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { pairwiseRecord } from "@/lib/testing/fixtures";
import { createUserIn, grantRoleIn } from "@/lib/users/mutations";
import { postComment } from "./mutations";

const datapoint = (batch: string, externalId: string) => pairwiseRecord(batch, externalId);

/** Two open datapoints, one draft (its batch opens in the future) and three people, one a moderator. */
export async function seedDiscussion() {
  await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name: "equal",
        version: 1,
        kind: "equal",
        description: "test",
        quorum: { minVotes: 1, minWeight: 1 },
        margin: { minShare: 0 },
      },
      null,
    ),
  );
  const batch = (slug: string, opensAt: string) => ({
    record: "batch",
    slug,
    title: slug,
    policy: "equal",
    opensAt,
    closesAt: "2036-01-01T00:00:00Z",
  });
  const records = [
    batch("now", "2026-01-01T00:00:00Z"),
    datapoint("now", "open-1"),
    datapoint("now", "open-2"),
    batch("later", "2035-01-01T00:00:00Z"),
    datapoint("later", "draft-1"),
  ];
  const parsed = parseImportJsonl(records.map((r) => JSON.stringify(r)).join("\n"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const imported = await importRecords(parsed.value, null);
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const id = async (externalId: string) => (await db.datapoint.findFirstOrThrow({ where: { externalId } })).id;
  const moderator = await newUser("mod@example.test");
  await db.$transaction((tx) => grantRoleIn(tx, moderator, "MODERATOR", null));
  return {
    open: await id("open-1"),
    other: await id("open-2"),
    draft: await id("draft-1"),
    alice: await newUser("alice@example.test", "Alice"),
    bob: await newUser("bob@example.test"),
    moderator,
  };
}

export async function newUser(email: string, name: string | null = null) {
  return (await db.$transaction((tx) => createUserIn(tx, { email, name }, null))).id;
}

/** Post a comment that must succeed; its id. */
export async function posted(body: string, by: string, on: string, parentId?: string) {
  const outcome = await postComment({ datapointId: on, parentId, body }, by);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.commentId;
}

export const lastSeq = async () => (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;

/** The one event appended since `before`, checked for its type; `body` is the stored text. */
export async function onlyEventSince(before: bigint, type: string) {
  const events = await db.auditEvent.findMany({ where: { seq: { gt: before } }, orderBy: { seq: "asc" } });
  expect(events.map((e) => e.type)).toEqual([type]);
  return { body: events[0]!.body, event: JSON.parse(events[0]!.body) as Record<string, unknown> };
}

export async function expectNoEventSince(before: bigint) {
  expect(await lastSeq()).toBe(before);
}
