// votes.jsonl rebuilt from the log: one row per voter and selected datapoint, for the voter's
// latest vote event in the trail, stating exactly what that event states.
import { voteRow } from "@/lib/exports/records";
import { ReleaseFacts } from "./facts";
import type { RebuildContext } from "./rebuild";
import { voteFingerprint } from "./replayed";
import { linesOf } from "./source";

const FILE = "votes.jsonl";
/** The columns of a row, in the export's order (voteRow). */
const COLUMNS = Object.keys(
  voteRow({
    voteId: "",
    raterId: "",
    raterPseudonym: "",
    datapointId: "",
    externalId: "",
    batch: "",
    kind: "PAIRWISE",
    option: "",
    rationaleSha256: null,
    shown: null,
    auditSeq: 0n,
    castAt: new Date(0),
  }),
).join(",");

export async function compareVotes(context: RebuildContext): Promise<void> {
  const { facts, selected, findings } = context;
  const finding = (code: string, seq: number | undefined, detail: string) =>
    findings.push({ code, seq, file: FILE, detail });
  let rows = 0;
  for await (const text of linesOf(context.release, FILE)) {
    rows++;
    const row = parseRow(text);
    if (!row || Object.keys(row).join(",") !== COLUMNS) {
      finding("VOTE_ROW_MALFORMED", undefined, `row ${rows} is not a vote row: ${text.slice(0, 80)}`);
      continue;
    }
    const datapointId = String(row.datapoint_id);
    const raterId = String(row.rater_id);
    const key = facts.voteKey(datapointId, raterId);
    const vote = key === null ? null : facts.votes.take(key);
    const who = `the vote of ${raterId} on datapoint ${datapointId}`;
    if (!context.summarised.has(datapointId)) {
      finding(
        selected.has(datapointId) ? "VOTE_ROW_UNKNOWN" : "VOTE_ROW_UNSELECTED",
        undefined,
        `${who} is about a datapoint the release has no dataset row for`,
      );
      continue;
    }
    if (!vote) {
      finding("VOTE_ROW_UNKNOWN", undefined, `${who} is not in the log`);
      continue;
    }
    if (vote.seenBefore) {
      finding("VOTE_ROW_DUPLICATE", vote.seq, `${who} has more than one row`);
      continue;
    }
    if (!selected.has(datapointId)) {
      finding("VOTE_ROW_UNSELECTED", vote.seq, `${who} is about a datapoint the release's filters do not select`);
      continue;
    }
    const stated = {
      voteId: row.vote_id,
      option: row.option,
      rationaleHash: row.rationale_sha256,
      shown: row.shown,
      at: row.cast_at,
    };
    const ownFields =
      typeof stated.at === "string" &&
      voteFingerprint(stated as Parameters<typeof voteFingerprint>[0]) === vote.fingerprint;
    // The fields the log states elsewhere: compared directly, the row rebuilt only to name a difference.
    const datapoint = facts.datapoints.get(datapointId)!;
    const same =
      ownFields &&
      ISO_MILLISECONDS.test(String(row.cast_at)) &&
      row.audit_seq === vote.seq &&
      row.rater_pseudonym === facts.users.get(raterId)?.pseudonym &&
      row.external_id === datapoint.externalId &&
      row.batch === facts.batches.get(datapoint.batchId)?.slug &&
      row.kind === datapoint.kind;
    if (!same) {
      finding(
        "VOTE_ROW_MISMATCH",
        vote.seq,
        `${who}: the row does not state what its latest vote event (seq ${vote.seq}) records`,
      );
    }
  }
  const datapointIds = [...facts.datapoints.keys()];
  for (const { key, seq } of facts.votes.unseen()) {
    const datapointId = datapointIds[ReleaseFacts.datapointOfKey(key)]!;
    if (selected.has(datapointId))
      finding("VOTE_ROW_MISSING", seq, `the vote event at seq ${seq} on datapoint ${datapointId} has no row`);
  }
  context.rows.set(FILE, rows);
}

/** The export writes instants as toISOString does; the same instant written another way is not its row. */
const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function parseRow(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
