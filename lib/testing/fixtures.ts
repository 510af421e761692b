// Test data made through the real services (import, user creation), each call unique, so
// integration tests never depend on the demo seed or on each other.
import { randomBytes } from "node:crypto";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { sessionUser } from "@/lib/auth/data";
import { parseImportJsonl } from "@/lib/imports/jsonl";
import { importRecords } from "@/lib/imports/mutations";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { createUserIn, grantRoleIn } from "@/lib/users/mutations";
import type { RoleName } from "@/lib/users/schema";

const unique = () => randomBytes(4).toString("hex");

export async function makeUser(role: RoleName = "CITIZEN") {
  return db.$transaction(async (tx) => {
    const user = await createUserIn(tx, { email: `user-${unique()}@example.test`, name: null }, null);
    await grantRoleIn(tx, user.id, role, null);
    return user;
  });
}

/** A database session for the user, as next-auth writes one at sign-in; returns its token. */
export async function makeSession(userId: string, expires = new Date(Date.now() + 86_400_000)): Promise<string> {
  const sessionToken = randomBytes(32).toString("hex");
  await db.session.create({ data: { sessionToken, userId, expires } });
  return sessionToken;
}

/** The user as a request signed in as them sees them now (null once deleted). */
export async function currentUserOf(userId: string) {
  return sessionUser(await makeSession(userId));
}

/**
 * Resolves once at least `count` connections to this test's database wait for a lock (a
 * test that stages a race waits for each side to block before it lets the next move).
 * Other test files' databases share the server, so only this database's backends count.
 */
export async function untilLockWaiters(count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE NOT l.granted AND a.datname = current_database()`;
    if (row!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} connections waited for a lock within 4 s`);
}

export type BatchOptions = {
  opensAt?: Date;
  closesAt?: Date;
  rationaleRequired?: boolean;
  tallyVisibility?: "AFTER_OWN_VOTE" | "AFTER_CLOSE";
  /** The pairwise datapoint's earlier conversation, as the import format writes it. */
  pairwiseContext?: string;
};

/** A batch with one pairwise, one rating and one classification datapoint. */
export async function makeBatch(options: BatchOptions = {}) {
  await db.$transaction((tx) =>
    publishPolicyIn(
      tx,
      {
        name: "equal",
        version: 1,
        kind: "equal",
        description: "Test policy.",
        quorum: { minVotes: 3, minWeight: 3 },
        margin: { minShare: 0.1 },
      },
      null,
    ),
  );
  const slug = `batch-${unique()}`;
  const common = {
    record: "datapoint",
    batch: slug,
    category: "helpfulness",
    proposedLabelSource: "fixture",
    prompt: "How do I boil an egg?",
  };
  const lines = [
    {
      record: "batch",
      slug,
      title: `Batch ${slug}`,
      policy: "equal",
      opensAt: (options.opensAt ?? new Date(Date.now() - 86_400_000)).toISOString(),
      closesAt: (options.closesAt ?? new Date(Date.now() + 30 * 86_400_000)).toISOString(),
      rationaleRequired: options.rationaleRequired ?? false,
      tallyVisibility: options.tallyVisibility ?? "AFTER_OWN_VOTE",
    },
    {
      ...common,
      externalId: "pair",
      kind: "pairwise",
      title: "Pairwise",
      context: options.pairwiseContext,
      responses: [
        { id: "A", text: "Simmer 9 minutes." },
        { id: "B", text: "Microwave it." },
      ],
      proposedLabel: "A",
    },
    {
      ...common,
      externalId: "rate",
      kind: "rating",
      title: "Rating",
      responses: [{ id: "A", text: "Simmer 9 minutes." }],
      labelOptions: { question: "How helpful?", min: 1, max: 5, minCaption: "Useless", maxCaption: "Ideal" },
      proposedLabel: "4",
    },
    {
      ...common,
      externalId: "class",
      kind: "classification",
      title: "Classification",
      responses: [{ id: "A", text: "I can't help with that." }],
      labelOptions: {
        question: "Refusal?",
        classes: [
          { id: "over_refusal", caption: "Over-refusal" },
          { id: "fine", caption: "Fine" },
        ],
      },
      proposedLabel: "over_refusal",
    },
  ];
  const parsed = parseImportJsonl(lines.map((l) => JSON.stringify(l)).join("\n"));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const outcome = await importRecords(parsed.value, null);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const datapoints = await db.datapoint.findMany({
    where: { batch: { slug } },
    select: { id: true, externalId: true },
  });
  const id = (externalId: string) => datapoints.find((d) => d.externalId === externalId)!.id;
  return { slug, pairwise: id("pair"), rating: id("rate"), classification: id("class") };
}

/**
 * The log's last seq once every event committed so far is in it: a vote's event is
 * sequenced in the background after castVote returns (lib/votes/mutations.ts), so a test
 * that reads the head or the log waits for that first.
 */
export async function auditHeadSeq(): Promise<bigint> {
  await flushAuditQueue();
  return (await db.auditHead.findUniqueOrThrow({ where: { id: 1 } })).lastSeq;
}

/** Events appended after `afterSeq`, parsed, once every event committed so far is in the log. */
export async function eventsAfter(afterSeq: bigint) {
  await flushAuditQueue();
  const rows = await db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: "asc" } });
  return rows.map((r) => ({ seq: r.seq, type: r.type, body: JSON.parse(r.body) as Record<string, unknown> }));
}

/** A valid pairwise import record (for import tests); `extra` overrides any field. */
export const pairwiseRecord = (batch: string, externalId: string, extra: object = {}) => ({
  record: "datapoint",
  batch,
  externalId,
  kind: "pairwise",
  category: "honesty",
  title: `Item ${externalId}`,
  prompt: "Is the Great Wall visible from space?",
  responses: [
    { id: "A", text: "Yes, easily." },
    { id: "B", text: "Not with the naked eye from orbit." },
  ],
  proposedLabel: "B",
  proposedLabelSource: "integration test",
  ...extra,
});
