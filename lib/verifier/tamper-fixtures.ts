// The tamper suite's log, made through the real services: a batch under each of the four
// policy kinds (with low quorums, so a handful of test voters decide), and in them every kind
// of decision a release records: accepted tallies, an override confirmed by a second
// moderator, one declined and one left pending, and a label reopened by an appeal and decided
// again. The pairwise datapoint of the equal batch has an earlier conversation (context).
import { randomUUID } from "node:crypto";
import { fileAppeal, resolveAppeal } from "@/lib/decisions/appeals/mutations";
import { flushAuditQueue } from "@/lib/audit/mutations";
import { parseImportJsonl } from "@/lib/imports/jsonl";
import { importRecords } from "@/lib/imports/mutations";
import { db } from "@/lib/db";
import { finalizeDecision, reviewOverride } from "@/lib/decisions/mutations";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { publishPolicyIn } from "@/lib/voting-policies/mutations";
import type { PolicyDocument } from "@/lib/voting-policies/schema";
import { makeUser } from "@/lib/testing/fixtures";
import { declareStrata, setVerificationTier } from "@/lib/users/mutations";
import { castVote } from "@/lib/votes/mutations";

const CONTEXT = "User: I boil eggs for a picnic.\nAssistant: How soon do you leave?\nUser: In an hour.";
const RATIONALE = "The public vote is clear and the discussion raised no new facts.";
const thresholds = { quorum: { minVotes: 3, minWeight: 0.5 }, margin: { minShare: 0.1 } };
const iterations = { tolerance: 0.000001, maxIterations: 100 };

const POLICIES: PolicyDocument[] = [
  { name: "tamper-equal", version: 1, kind: "equal", description: "One voter, one vote.", ...thresholds },
  {
    name: "tamper-trust-tier",
    version: 1,
    kind: "trust-tier",
    description: "By tier.",
    ...thresholds,
    tierWeights: [0.5, 1, 1.5, 2],
    newAccountRamp: { days: 30, floor: 0.2 },
    cap: 2,
  },
  {
    name: "tamper-reliability",
    version: 1,
    kind: "reliability",
    description: "By track record.",
    ...thresholds,
    floorWeight: 0.25,
    cap: 3,
    finalLabelTrust: 0.8,
    smoothing: 4,
    ...iterations,
  },
  {
    name: "tamper-representative",
    version: 1,
    kind: "representative",
    description: "Raked to targets.",
    ...thresholds,
    targets: { region: { asia: 0.6, europe: 0.4 }, age: { "18-34": 0.5, "55-plus": 0.5 } },
    cap: 5,
    undeclaredWeight: 1,
    ...iterations,
  },
  // Published and used by no decision: policies.json must not list it.
  { name: "tamper-unused", version: 1, kind: "equal", description: "Never used.", ...thresholds },
];

type Datapoints = { slug: string; batchId: string; pairwise: string; rating: string; classification: string };

/** A batch of a pairwise, a rating and a classification datapoint under the policy named `policy`. */
async function importBatch(policy: string, context?: string): Promise<Datapoints> {
  const slug = `tamper-${randomUUID().slice(0, 8)}`;
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
      policy,
      rationaleRequired: false,
      tallyVisibility: "AFTER_CLOSE",
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
    {
      ...common,
      externalId: "pair",
      kind: "pairwise",
      title: "Pairwise",
      context,
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
  const imported = await importRecords(parsed.value, null);
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  const rows = await db.datapoint.findMany({
    where: { batch: { slug } },
    select: { id: true, externalId: true, batchId: true },
  });
  const id = (externalId: string) => rows.find((d) => d.externalId === externalId)!.id;
  return { slug, batchId: rows[0]!.batchId, pairwise: id("pair"), rating: id("rate"), classification: id("class") };
}

function must<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
}

/** The log of the tamper suite; returns who and what it holds, for the cases to name. */
export async function tamperStory() {
  for (const document of POLICIES) must(await db.$transaction((tx) => publishPolicyIn(tx, document, null)));
  const admin = await makeUser("ADMIN");
  const [mod1, mod2, mod3] = [await makeUser("MODERATOR"), await makeUser("MODERATOR"), await makeUser("MODERATOR")];
  const voters: Awaited<ReturnType<typeof makeUser>>[] = [];
  for (let i = 0; i < 6; i++) voters.push(await makeUser());
  const strata = [
    { region: "asia", age: "18-34" },
    { region: "europe", age: "55-plus" },
    { region: "asia", age: "55-plus" },
    { region: "europe", age: "18-34" },
  ];
  for (const [i, voter] of voters.entries()) {
    must(await setVerificationTier(voter.id, i % 4, admin.id));
    if (strata[i]) must(await declareStrata(voter.id, strata[i]));
  }
  /** Voter i casts options[i]. */
  const vote = async (datapointId: string, options: string[]) => {
    for (const [i, option] of options.entries()) {
      must(
        await castVote(
          { datapointId, option, rationale: i === 0 ? `Because ${option}.` : null, idempotencyKey: randomUUID() },
          voters[i]!.id,
        ),
      );
    }
  };
  const close = async (batch: Datapoints) => {
    await flushAuditQueue();
    must(await closeBatchNow(batch.batchId, admin.id));
  };
  const accept = async (datapointId: string, moderator = mod1) =>
    must(await finalizeDecision({ mode: "accept", datapointId, rationale: RATIONALE }, moderator.id));
  const override = async (datapointId: string, label: string) =>
    must(
      await finalizeDecision(
        {
          mode: "override",
          datapointId,
          label,
          overrideReason: "GUIDELINE_MISAPPLIED",
          rationale: "The guideline says otherwise here.",
        },
        mod1.id,
      ),
    );

  const equal = await importBatch("tamper-equal", CONTEXT);
  await vote(equal.pairwise, ["A", "A", "A", "A", "B", "B"]);
  await vote(equal.rating, ["4", "4", "4", "5", "4", "3"]);
  await vote(equal.classification, ["over_refusal", "over_refusal", "over_refusal", "over_refusal", "fine", "fine"]);
  await close(equal);
  await accept(equal.pairwise);
  await accept(equal.rating);
  const confirmed = await override(equal.classification, "fine");
  must(await reviewOverride({ decisionId: confirmed.decisionId, verdict: "confirm", rationale: "" }, mod2.id));

  const trust = await importBatch("tamper-trust-tier");
  await vote(trust.pairwise, ["B", "B", "B", "B", "A", "A"]);
  await vote(trust.rating, ["2", "2", "2", "2", "3", "3"]);
  await vote(trust.classification, ["fine", "fine", "fine", "fine", "over_refusal", "over_refusal"]);
  await close(trust);
  await accept(trust.pairwise);
  const declined = await override(trust.classification, "over_refusal");
  must(
    await reviewOverride(
      { decisionId: declined.decisionId, verdict: "decline", rationale: "The tally follows the guideline; keep it." },
      mod2.id,
    ),
  );
  await accept(trust.classification);
  const pending = await override(trust.rating, "5");

  const reliability = await importBatch("tamper-reliability");
  await vote(reliability.pairwise, ["A", "A", "A", "A", "B", "B"]);
  await vote(reliability.rating, ["3", "3", "3"]);
  await close(reliability);
  await accept(reliability.pairwise);

  const representative = await importBatch("tamper-representative");
  await vote(representative.pairwise, ["TIE", "TIE", "TIE", "TIE", "A", "B"]);
  await close(representative);
  const appealed = await accept(representative.pairwise);
  const appeal = must(
    await fileAppeal(
      { datapointId: representative.pairwise, reason: "Response B is unsafe for children; this is no tie." },
      voters[5]!.id,
    ),
  );
  must(
    await resolveAppeal(
      {
        appealId: appeal.appealId,
        verdict: "accept",
        rationale: "The safety concern is substantive; voters should weigh it.",
      },
      mod3.id,
    ),
  );
  await vote(representative.pairwise, ["A", "A", "A", "TIE", "A", "B"]);
  await flushAuditQueue();
  await accept(representative.pairwise);
  await flushAuditQueue();
  return {
    admin,
    mod1,
    mod2,
    mod3,
    voters,
    equal,
    trust,
    reliability,
    representative,
    decisions: {
      confirmed: confirmed.decisionId,
      declined: declined.decisionId,
      pending: pending.decisionId,
      appealed: appealed.decisionId,
    },
    /** Votes and a decision after the first release, for the second. */
    async later() {
      const batch = await importBatch("tamper-equal");
      await vote(batch.pairwise, ["B", "B", "B", "A"]);
      await close(batch);
      await accept(batch.pairwise);
      await flushAuditQueue();
      return batch;
    },
  };
}

export type TamperStory = Awaited<ReturnType<typeof tamperStory>>;
