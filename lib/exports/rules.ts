// The rows of the downloads, shaped from what data.ts reads. Pure, so the shapes are unit
// tested and a researcher can read exactly how a label became a preference pair.
// People appear only as their user id (a UUID, the stable pseudonymous rater id) and their
// public pseudonym: nothing here can carry an email or a name, because data.ts never reads them.
import { z } from "zod";
import { voteDistribution } from "@/lib/tally/agreement";

export type Kind = "PAIRWISE" | "RATING" | "CLASSIFICATION";
type CandidateResponse = { id: string; text: string };

/** The parts of a recorded tally (lib/tally/tally.ts: TallyOutput) the exports report. */
const recordedTally = z.object({
  options: z.array(z.object({ option: z.string(), votes: z.number().int().nonnegative() })),
  votes: z.number().int().nonnegative(),
  effectiveSampleSize: z.number(),
  margin: z.object({ value: z.number(), lower: z.number(), upper: z.number() }),
  outcome: z.union([
    z.object({ kind: z.literal("decided"), option: z.string() }),
    z.object({ kind: z.literal("no-decision"), reason: z.string() }),
  ]),
});

export type TallyMetrics = {
  votes: number;
  /** Share of the counted votes (head count, not weight) that went to the most-chosen option. */
  agreement: number;
  /** The leader's lead over the runner-up in weighted share, with its bootstrap interval. */
  margin: number;
  marginLower: number;
  marginUpper: number;
  /** Kish effective sample size of the weights. */
  nEff: number;
  /** The label the tally decided, or null when it decided none (an override then set it). */
  tallyLabel: string | null;
};

/** The numbers a decision's recorded tally (its canonical JSON text) states. */
export function tallyMetrics(tallyText: string): TallyMetrics {
  const tally = recordedTally.parse(JSON.parse(tallyText));
  return {
    votes: tally.votes,
    agreement: voteDistribution(tally.options.map((o) => o.votes)).majorityShare,
    margin: tally.margin.value,
    marginLower: tally.margin.lower,
    marginUpper: tally.margin.upper,
    nEff: tally.effectiveSampleSize,
    tallyLabel: tally.outcome.kind === "decided" ? tally.outcome.option : null,
  };
}

/** A datapoint as read, with the decision that made its label final as of the cut, if any. */
export type DatasetRecord = {
  id: string;
  externalId: string;
  batch: string;
  kind: Kind;
  category: string;
  title: string;
  prompt: string;
  context: string | null;
  responses: CandidateResponse[];
  labelOptions: unknown;
  proposedLabel: string;
  contentHash: string;
  /** `tally` is null only when the decision's row is gone from the database (the verifier then names it). */
  decision: {
    id: string;
    label: string;
    policyHash: string;
    tally: string | null;
    isOverride: boolean;
    decidedAt: Date;
    finalizedSeq: bigint;
  } | null;
};

/** One row of dataset.jsonl / .csv / .parquet: one datapoint. Columns: ./columns.ts. */
export type DatasetRow = {
  datapoint_id: string;
  external_id: string;
  batch: string;
  kind: Kind;
  category: string;
  title: string;
  prompt: string;
  context: string | null;
  responses: CandidateResponse[];
  label_options: unknown;
  proposed_label: string;
  final_label: string | null;
  tally_label: string | null;
  is_override: boolean | null;
  decision_id: string | null;
  decided_at: string | null;
  finalized_seq: number | null;
  policy_hash: string | null;
  votes: number | null;
  agreement: number | null;
  margin: number | null;
  margin_lower: number | null;
  margin_upper: number | null;
  n_eff: number | null;
  content_hash: string;
};

export function datasetRow(record: DatasetRecord): DatasetRow {
  const { decision } = record;
  const metrics = decision?.tally ? tallyMetrics(decision.tally) : null;
  return {
    datapoint_id: record.id,
    external_id: record.externalId,
    batch: record.batch,
    kind: record.kind,
    category: record.category,
    title: record.title,
    prompt: record.prompt,
    context: record.context,
    responses: record.responses,
    label_options: record.labelOptions,
    proposed_label: record.proposedLabel,
    final_label: decision?.label ?? null,
    tally_label: metrics?.tallyLabel ?? null,
    is_override: decision?.isOverride ?? null,
    decision_id: decision?.id ?? null,
    decided_at: decision?.decidedAt.toISOString() ?? null,
    finalized_seq: decision ? Number(decision.finalizedSeq) : null,
    policy_hash: decision?.policyHash ?? null,
    votes: metrics?.votes ?? null,
    agreement: metrics?.agreement ?? null,
    margin: metrics?.margin ?? null,
    margin_lower: metrics?.marginLower ?? null,
    margin_upper: metrics?.marginUpper ?? null,
    n_eff: metrics?.nEff ?? null,
    content_hash: record.contentHash,
  };
}

/** Final labels that say one response is better: the only ones that make a preference pair. */

/** One message of TRL's conversational format; roles are only ever these two here. */
export type ChatMessage = { role: "user" | "assistant"; content: string };

const TURN_START = /^(User|Assistant): /;

/**
 * A context's earlier turns as chat messages. The convention the seed batches write: a line
 * beginning exactly `User: ` or `Assistant: ` starts a turn, and every other line (blank lines,
 * code fences, a `System:` line) belongs to the turn above, because turn contents have newlines.
 * A turn's content is its text after the marker, with whitespace at both ends trimmed.
 * The context is first trimmed, as the import already does. One whose first line starts no
 * turn is not in the convention: it becomes one user message, whole, rather than being guessed
 * at or dropped, so a model trained on the pair still sees everything the raters saw.
 * No context, or only whitespace, is no turns.
 * Pure and deterministic: the offline verifier rebuilds the preference file with it.
 */
export function contextTurns(context: string | null): ChatMessage[] {
  const text = context?.trim() ?? "";
  if (!text) return [];
  const turns: { role: ChatMessage["role"]; lines: string[] }[] = [];
  for (const line of text.split("\n")) {
    const start = TURN_START.exec(line);
    const current = turns.at(-1);
    if (start) turns.push({ role: start[1] === "User" ? "user" : "assistant", lines: [line.slice(start[0].length)] });
    else if (current) current.lines.push(line);
    else return [{ role: "user", content: text }];
  }
  return turns.map((turn) => ({ role: turn.role, content: turn.lines.join("\n").trim() }));
}

type PreferenceMetadata = Omit<DatasetRow, "prompt" | "responses" | "label_options" | "title" | "proposed_label"> & {
  chosen_id: string;
  rejected_id: string;
};

/** TRL's standard preference format (strings) for a single turn, its conversational one with earlier turns. */
export type PreferenceRow =
  | { prompt: string; chosen: string; rejected: string; metadata: PreferenceMetadata }
  | { prompt: ChatMessage[]; chosen: [ChatMessage]; rejected: [ChatMessage]; metadata: PreferenceMetadata };

/**
 * The RLHF/DPO shape: a pairwise datapoint whose final label is A gives chosen = response A,
 * rejected = response B, and B the reverse. TIE, BOTH_BAD, undecided and non-pairwise rows are
 * not preferences (null): they stay in dataset.jsonl/.csv/.parquet with their label.
 * With a context, the earlier turns (contextTurns) and then the prompt as the last user message
 * make `prompt`, and each response is one assistant message; consecutive turns of one role are
 * kept apart as written, not merged. `metadata.context` keeps the context text verbatim.
 */
export function preferencePair(row: DatasetRow): PreferenceRow | null {
  if (row.kind !== "PAIRWISE" || (row.final_label !== "A" && row.final_label !== "B")) return null;
  const [chosenId, rejectedId] = row.final_label === "A" ? ["A", "B"] : ["B", "A"];
  const chosen = row.responses.find((r) => r.id === chosenId);
  const rejected = row.responses.find((r) => r.id === rejectedId);
  if (!chosen || !rejected)
    throw new Error(`pairwise datapoint ${row.datapoint_id} lacks response ${chosen ? rejectedId : chosenId}`);
  const {
    prompt,
    responses: _responses,
    label_options: _options,
    title: _title,
    proposed_label: _proposed,
    ...rest
  } = row;
  const metadata = { ...rest, chosen_id: chosenId, rejected_id: rejectedId };
  const earlier = contextTurns(row.context);
  if (earlier.length === 0) return { prompt, chosen: chosen.text, rejected: rejected.text, metadata };
  return {
    prompt: [...earlier, { role: "user", content: prompt }],
    chosen: [{ role: "assistant", content: chosen.text }],
    rejected: [{ role: "assistant", content: rejected.text }],
    metadata,
  };
}
