// Every derived file of a release rebuilt from the log and compared row by row: once the trail
// is replayed (facts.ts), the filters the release signed select datapoints from the log
// (selection.ts), and each file must hold exactly their rows, each equal to the row the export
// would write from the log (and, for content, rationales and tallies, from text that hashes to
// what the log recorded). Findings name the datapoint, decision or seq at fault.
import { sha256Hex } from "@/lib/audit/hash";
import type { ExportFilters } from "@/lib/exports/schema";
import { decisionRow, type DecisionRecord as ExportedDecision } from "@/lib/exports/records";
import type { Kind } from "@/lib/exports/rules";
import type { Finding } from "./decisions";
import type { DecisionFacts, ReleaseFacts } from "./facts";
import { selects, statusAtCut, type Candidate } from "./selection";
import type { Release } from "./source";

/** A line of decisions.jsonl, as read and as parsed. */
export type DecisionLine = { text: string; row: Record<string, unknown> };

export type RebuildContext = {
  release: Release;
  facts: ReleaseFacts;
  filters: ExportFilters;
  decisionLines: DecisionLine[];
  findings: Finding[];
  /** Datapoints the filters select, by id. */
  selected: Map<string, Candidate>;
  /** Each selected decision's tally text that hashes to its events' tallyHash. */
  tallies: Map<string, string>;
  /** Rows counted per file, for the signed statement's row counts. */
  rows: Map<string, number>;
  /** The datapoints whose votes the trail's pass summarised (facts.votes holds only theirs). */
  summarised: ReadonlySet<string>;
};

export function rebuildContext(
  release: Release,
  facts: ReleaseFacts,
  filters: ExportFilters,
  decisionLines: DecisionLine[],
  summarised: ReadonlySet<string>,
): RebuildContext {
  const tallies = new Map<string, string>();
  for (const { row } of decisionLines) {
    const decision = typeof row.decision_id === "string" ? facts.decisions.get(row.decision_id) : undefined;
    const hash = decision && (decision.finalized ?? decision.proposed)?.tallyHash;
    if (hash && typeof row.tally === "string" && sha256Hex(row.tally) === hash)
      tallies.set(decision.decisionId, row.tally);
  }
  const selected = new Map<string, Candidate>();
  for (const datapoint of facts.datapoints.values()) {
    const standingId = facts.standing.get(datapoint.datapointId);
    const standing = standingId ? (facts.decisions.get(standingId) ?? null) : null;
    const batch = facts.batches.get(datapoint.batchId);
    const candidate: Candidate = {
      datapoint,
      batch,
      standing,
      status: statusAtCut(datapoint, batch, standing !== null),
      tally: standing ? (tallies.get(standing.decisionId) ?? null) : null,
    };
    if (selects(filters, candidate)) selected.set(datapoint.datapointId, candidate);
  }
  return { release, facts, filters, decisionLines, findings: [], selected, tallies, rows: new Map(), summarised };
}

/** decisions.jsonl: exactly one record per decision of a selected datapoint, each equal to its events. */
export function compareDecisions(context: RebuildContext): void {
  const { facts, selected, findings } = context;
  const seen = new Set<string>();
  const finding = (code: string, seq: number | undefined, detail: string) =>
    findings.push({ code, seq, file: "decisions.jsonl", detail });
  for (const { text, row } of context.decisionLines) {
    const id = String(row.decision_id);
    const decision = facts.decisions.get(id);
    if (!decision) {
      finding(
        "DECISION_WITHOUT_EVENT",
        undefined,
        `decision ${id} on datapoint ${String(row.datapoint_id)} has no event in the log: it was never recorded`,
      );
      continue;
    }
    if (seen.has(id)) {
      finding("DECISION_DUPLICATE", decision.recordedSeq, `decision ${id} has more than one record`);
      continue;
    }
    seen.add(id);
    if (!selected.has(decision.datapointId)) {
      finding(
        "DECISION_UNSELECTED",
        decision.recordedSeq,
        `decision ${id} is about datapoint ${decision.datapointId}, which the release's filters do not select`,
      );
      continue;
    }
    const first = (decision.proposed ?? decision.finalized)!;
    if (typeof row.rationale !== "string" || sha256Hex(row.rationale) !== first.rationaleHash) {
      finding(
        "DECISION_RATIONALE_MISMATCH",
        decision.recordedSeq,
        `decision ${id}: the rationale does not hash to the rationaleHash its event recorded`,
      );
    }
    if (!context.tallies.has(id))
      finding(
        "DECISION_TALLY_HASH",
        decision.recordedSeq,
        `decision ${id}: the tally does not hash to the tallyHash its event recorded`,
      );
    const expected = JSON.stringify(decisionRow(expectedDecision(context, decision, row)));
    if (expected !== text) {
      finding(
        "DECISION_ROW_MISMATCH",
        decision.recordedSeq,
        `decision ${id}: ${difference(JSON.parse(expected) as Record<string, unknown>, row)}`,
      );
    }
  }
  for (const decision of facts.decisions.values()) {
    if (selected.has(decision.datapointId) && !seen.has(decision.decisionId)) {
      finding(
        "DECISION_RECORD_MISSING",
        decision.recordedSeq,
        `decision ${decision.decisionId} on datapoint ${decision.datapointId} is in the log but has no record`,
      );
    }
  }
  context.rows.set("decisions.jsonl", context.decisionLines.length);
}

/** The record the export writes for `decision`, from its events; text the log only hashes comes from `row`. */
function expectedDecision(
  context: RebuildContext,
  decision: DecisionFacts,
  row: Record<string, unknown>,
): ExportedDecision {
  const { facts } = context;
  const { proposed, finalized } = decision;
  const first = (proposed ?? finalized)!;
  const datapoint = facts.datapoints.get(decision.datapointId)!;
  const tally = typeof row.tally === "string" ? row.tally : "";
  const pseudonym = (id: string | null) => (id ? (facts.users.get(id)?.pseudonym ?? null) : null);
  const confirmedById = finalized?.confirmedById ?? null;
  return {
    id: decision.decisionId,
    datapointId: decision.datapointId,
    externalId: datapoint.externalId,
    batch: facts.batches.get(datapoint.batchId)?.slug ?? "",
    kind: datapoint.kind as Kind,
    label: finalized?.label ?? proposed!.label,
    isOverride: finalized?.isOverride ?? true,
    overrideReason: finalized?.overrideReason ?? proposed?.overrideReason ?? null,
    rationale: typeof row.rationale === "string" ? row.rationale : "",
    moderatorId: first.actorId,
    moderatorPseudonym: pseudonym(first.actorId) ?? "",
    confirmedById,
    confirmedByPseudonym: pseudonym(confirmedById),
    confirmedAt: finalized ? new Date(finalized.at) : null,
    createdAt: new Date(decision.recordedAt),
    policyHash: finalized?.policyHash ?? proposed?.policyHash ?? policyHashOf(tally) ?? String(row.policy_hash),
    // Overrides proposed before their events carried these: the tally replay checks them (decisions.ts).
    lastSeq: BigInt(finalized?.lastSeq ?? proposed?.lastSeq ?? Number(row.last_seq)),
    voteDigest: finalized?.voteDigest ?? proposed?.voteDigest ?? String(row.vote_digest),
    tally,
    recordedSeq: BigInt(decision.recordedSeq),
    finalizedSeq: finalized ? BigInt(finalized.seq) : null,
    declinedSeq: decision.declinedSeq === null ? null : BigInt(decision.declinedSeq),
    reopenedSeq: decision.reopenedSeq === null ? null : BigInt(decision.reopenedSeq),
  };
}

function policyHashOf(tally: string): string | null {
  try {
    const hash = (JSON.parse(tally) as { policyHash?: unknown }).policyHash;
    return typeof hash === "string" ? hash : null;
  } catch {
    return null;
  }
}

/** Names of the fields in which two rows differ (missing and extra fields included). */
function differingFields(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names].filter((name) => JSON.stringify(expected[name]) !== JSON.stringify(actual[name]));
}

/** What differs between a rebuilt row and the one read, for a finding's text. */
export function difference(expected: Record<string, unknown>, actual: Record<string, unknown>): string {
  const fields = differingFields(expected, actual);
  return fields.length
    ? `${fields.join(", ")} differ from what the log records`
    : "the row's layout differs from the export's";
}

const POLICY_KIND: Record<string, string> = {
  equal: "EQUAL",
  "trust-tier": "TRUST_TIER",
  reliability: "RELIABILITY",
  representative: "REPRESENTATIVE",
};

/** policies.json: exactly the policies of the selected decisions, each its published document. */
export function comparePolicies(context: RebuildContext, text: string, manifestPolicies: unknown): void {
  const { facts, findings } = context;
  const finding = (code: string, detail: string) => findings.push({ code, file: "policies.json", detail });
  let entries: Record<string, { name?: unknown; version?: unknown; kind?: unknown; document?: unknown }>;
  try {
    entries = JSON.parse(text) as typeof entries;
    if (!entries || typeof entries !== "object" || Array.isArray(entries)) throw new TypeError();
  } catch {
    finding("POLICIES_MALFORMED", "policies.json is not a JSON object of policies by hash");
    return;
  }
  const expected = new Set<string>();
  for (const decision of facts.decisions.values()) {
    if (!context.selected.has(decision.datapointId)) continue;
    const hash = decision.finalized?.policyHash ?? policyHashOf(context.tallies.get(decision.decisionId) ?? "");
    if (hash) expected.add(hash);
  }
  for (const [hash, entry] of Object.entries(entries)) {
    if (typeof entry?.document !== "string" || sha256Hex(entry.document) !== hash) {
      finding("POLICY_HASH_MISMATCH", `the document under ${hash} does not hash to it`);
      continue;
    }
    const published = facts.policies.get(hash);
    if (!published) {
      finding("POLICY_WITHOUT_EVENT", `policy ${hash} has no policy.published event in the log`);
      continue;
    }
    if (
      entry.document !== published.document ||
      entry.name !== published.name ||
      entry.version !== published.version ||
      entry.kind !== POLICY_KIND[published.kind]
    ) {
      finding("POLICY_EVENT_MISMATCH", `policy ${hash} differs from its policy.published event`);
    }
    if (!expected.has(hash)) finding("POLICY_EXTRA", `policy ${hash} is not the policy of any decision in the release`);
  }
  for (const hash of expected)
    if (!(hash in entries))
      finding("POLICY_MISSING", `policy ${hash}, under which a decision in the release was made, is missing`);
  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (text !== `${JSON.stringify(sorted, null, 2)}\n`)
    finding("POLICIES_LAYOUT", "policies.json is not laid out as the export writes it");
  if (JSON.stringify(manifestPolicies) !== JSON.stringify(entries)) {
    findings.push({
      code: "MANIFEST_POLICIES_MISMATCH",
      file: "manifest.json",
      detail: "the manifest's policies differ from policies.json",
    });
  }
  context.rows.set("policies.json", Object.keys(entries).length);
}
