import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { readEvents } from "@/lib/audit/data";
import { auditEventSchema } from "@/lib/audit/events";
import { changeBatchPolicy } from "@/lib/batches/mutations";
import { db } from "@/lib/db";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { TallyFacts } from "@/lib/tally/from-log";
import { tallyDatapoint } from "@/lib/tally/tally";
import { makeBatch, makeUser } from "@/lib/testing/fixtures";
import { declareStrata, setVerificationTier } from "@/lib/users/mutations";
import { castVote } from "@/lib/votes/mutations";
import { finalizeDecision } from "@/lib/decisions/mutations";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { tallyInputFromTables } from "./data";
import { flushAuditQueue } from "@/lib/audit/mutations";

async function publishSeedPolicy(file: string): Promise<string> {
  const document = policyDocumentSchema.parse(JSON.parse(readFileSync(`prisma/seed/policies/${file}`, "utf8")));
  const result = await db.$transaction((tx) => publishPolicyIn(tx, document, null));
  if (!result.ok) throw new Error(result.message);
  return result.contentHash;
}

/** The tally input as rebuilt from the audit log alone. */
async function inputFromLog(datapointId: string, asOf: Date) {
  const facts = new TallyFacts();
  for (const stored of await readEvents(0n, 1_000_000)) facts.apply(auditEventSchema.parse(JSON.parse(stored.body)));
  return facts.inputFor(datapointId, asOf.toISOString());
}

describe("tallies recomputed from the audit log", () => {
  it("equal the tallies from the tables, byte for byte, under every policy", async () => {
    const batch = await makeBatch();
    const admin = await makeUser("ADMIN");
    const voters = await Promise.all(Array.from({ length: 7 }, () => makeUser()));
    const regions = ["europe", "asia", "africa", "americas"];
    for (const [i, voter] of voters.entries()) {
      await setVerificationTier(voter.id, i % 3, admin.id);
      if (i % 2 === 0) await declareStrata(voter.id, { region: regions[i % 4]!, age: i < 4 ? "18-34" : "55-plus" });
      const option = ["A", "B", "A", "TIE", "A", "B", "BOTH_BAD"][i]!;
      await castVote(
        { datapointId: batch.pairwise, option: "B", rationale: null, idempotencyKey: randomUUID() },
        voter.id,
      );
      await castVote({ datapointId: batch.pairwise, option, rationale: null, idempotencyKey: randomUUID() }, voter.id);
    }
    await flushAuditQueue(); // the votes' events are sequenced in the background; the tally below reads the log
    const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
    const policies = ["trust-tier-v1.json", "representative-v1.json", "trust-tier-v2.json", "representative-v2.json"];

    for (const file of [null, ...policies]) {
      const kind = file?.replace(/-v\d\.json$/, "") ?? "equal";
      if (file)
        expect(
          await changeBatchPolicy(batchId, await publishSeedPolicy(file), `Compare under ${file}.`, admin.id),
        ).toMatchObject({ ok: true });
      const asOf = new Date();
      const fromTables = await tallyInputFromTables(batch.pairwise, asOf);
      const fromLog = await inputFromLog(batch.pairwise, asOf);
      const tableOutput = canonicalJson(tallyDatapoint(fromTables!));
      expect(canonicalJson(tallyDatapoint(fromLog))).toBe(tableOutput);
      const parsed = JSON.parse(tableOutput) as { policyKind: string; votes: number; options: { votes: number }[] };
      expect(parsed.policyKind).toBe(kind);
      expect(parsed.votes).toBe(7);
      expect(parsed.options.map((o) => o.votes)).toEqual([3, 2, 1, 1]);
    }
  });

  it("equal the tables under the reliability policy, whose history comes from finalized decisions", async () => {
    const admin = await makeUser("ADMIN");
    const moderator = await makeUser("MODERATOR");
    const voters = await Promise.all(Array.from({ length: 6 }, () => makeUser()));
    // History: two decided datapoints on which voters agreed with the final label or not.
    for (const winners of [
      [0, 1, 2, 3],
      [0, 1, 2, 4],
    ]) {
      const past = await makeBatch();
      for (const [i, voter] of voters.entries()) {
        await castVote(
          {
            datapointId: past.pairwise,
            option: winners.includes(i) ? "A" : "B",
            rationale: null,
            idempotencyKey: randomUUID(),
          },
          voter.id,
        );
      }
      await closeBatchNow((await db.batch.findUniqueOrThrow({ where: { slug: past.slug } })).id, admin.id);
      expect(
        await finalizeDecision(
          { mode: "accept", datapointId: past.pairwise, rationale: "The vote was clear and nobody objected." },
          moderator.id,
        ),
      ).toMatchObject({ ok: true });
    }
    const batch = await makeBatch();
    for (const [i, voter] of voters.entries()) {
      await castVote(
        { datapointId: batch.pairwise, option: i < 3 ? "B" : "A", rationale: null, idempotencyKey: randomUUID() },
        voter.id,
      );
    }
    await flushAuditQueue();
    const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
    expect(
      await changeBatchPolicy(
        batchId,
        await publishSeedPolicy("reliability-v1.json"),
        "Weigh by track record.",
        admin.id,
      ),
    ).toMatchObject({ ok: true });
    const asOf = new Date();
    const fromTables = await tallyInputFromTables(batch.pairwise, asOf);
    expect(fromTables?.reliability?.finalized.length).toBeGreaterThanOrEqual(2);
    const fromLog = await inputFromLog(batch.pairwise, asOf);
    const output = canonicalJson(tallyDatapoint(fromTables!));
    expect(canonicalJson(tallyDatapoint(fromLog))).toBe(output);
    expect(JSON.parse(output)).toMatchObject({ policyKind: "reliability", votes: 6, engine: "plenary-tally/1" });

    // plenary-tally/2 fits over the options each finalized datapoint offered: both paths read them.
    expect(
      await changeBatchPolicy(
        batchId,
        await publishSeedPolicy("reliability-v2.json"),
        "The current version.",
        admin.id,
      ),
    ).toMatchObject({ ok: true });
    const current = await tallyInputFromTables(batch.pairwise, asOf);
    const pairwise = current!.reliability!.finalized.find((f) => f.label === "A")!;
    expect(pairwise.options).toEqual(["A", "B", "TIE", "BOTH_BAD"]);
    const currentOutput = canonicalJson(tallyDatapoint(current!));
    expect(canonicalJson(tallyDatapoint(await inputFromLog(batch.pairwise, asOf)))).toBe(currentOutput);
    expect(JSON.parse(currentOutput)).toMatchObject({ policyKind: "reliability", votes: 6, engine: "plenary-tally/2" });
  });
});
