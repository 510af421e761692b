// The tamper suite: one real release (votes and decisions under every policy kind, overrides,
// an appeal, preference pairs, a multi-turn datapoint), verified intact, then copies of it
// changed file by file, each refused with the finding that names its own rule. After every
// edit the unsigned manifest is made to state the edited files' SHA-256 and size again (the
// attack of a release whose manifest was "updated"), so only the signatures and the rebuild
// from the log stand in the way.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { leafHash, sha256Hex, toHex } from "@/lib/audit/hash";
import { createCheckpoint } from "@/lib/checkpoints/mutations";
import { noteVerifier, parseVerifierKey } from "@/lib/checkpoints/note";
import { signKeyRotation } from "@/lib/checkpoints/rotation";
import { publishedKey } from "@/lib/checkpoints/signer";
import { DATASET_COLUMNS } from "@/lib/exports/columns";
import { signWithTestCheckpointKey, temporaryDir } from "@/lib/exports/fixtures";
import { writeRelease } from "@/lib/exports/release";
import { filtersOf } from "@/lib/exports/schema";
import {
  all,
  digestOf,
  editCsv,
  editEvents,
  editLine,
  editManifest,
  editPolicies,
  fixManifest,
  linesIn,
  manifestIn,
  readText,
  resignRelease,
  rewriteParquet,
  row,
  rowsIn,
  signStatement,
  strangerSigner,
  trailIn,
  withRow,
  without,
  writeLines,
  writeText,
  writeTrail,
  type Edit,
  type Row,
} from "./forgery";
import { openRelease } from "./source";
import { tamperStory, type TamperStory } from "./tamper-fixtures";
import { readTrustedKey } from "./trusted-key";
import { RELEASE_FILES, verifyRelease, type VerifyOptions } from "./verify";

const ORIGIN = "plenary.tamper-test/log";
signWithTestCheckpointKey(ORIGIN);
const root = temporaryDir("plenary-tamper-");
let s: TamperStory;
let first: string;
let second: string;
/** Tree sizes of the first release's signed checkpoints, smallest first. */
let sizes: number[];
let copies = 0;

async function release(name: string): Promise<string> {
  await createCheckpoint();
  const dir = path.join(root, name);
  const written = await writeRelease(dir, filtersOf({}));
  if (!written.ok) throw new Error(written.message);
  return dir;
}

function copyOf(dir: string): string {
  const copy = path.join(root, `copy-${++copies}`);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args], { encoding: "utf8" });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

beforeAll(async () => {
  s = await tamperStory();
  first = await release("first");
  await s.later();
  second = await release("second");
  sizes = rowsIn<{ treeSize: number }>(first, "checkpoints.jsonl").map((line) => line.treeSize);
}, 300_000);

const pinned = async (): Promise<VerifyOptions> => ({ key: readTrustedKey(publishedKey().verifierKey, undefined) });
const dataset = (id: () => string) => (r: Row) => r.datapoint_id === id();
const vote = (datapoint: () => string, voter: number) => (r: Row) =>
  r.datapoint_id === datapoint() && r.rater_id === s.voters[voter]!.id;
const decision =
  (datapoint: () => string, status = "FINAL") =>
  (r: Row) =>
    r.datapoint_id === datapoint() && r.status === status;
const pair = (id: () => string) => (r: Row) => (r.metadata as Row).datapoint_id === id();
/** The seq of the first event of the trail whose body matches. */
const seqOf = (dir: string, where: (body: Row) => boolean) =>
  trailIn(dir).find((r) => where(JSON.parse(r.body) as Row))!.seq;
const voteEvent = (datapoint: () => string, voter: number) => (b: Row) =>
  b.type === "vote.cast" && b.datapointId === datapoint() && b.actorId === s.voters[voter]!.id;
const firstVoteSeq = () =>
  seqOf(
    first,
    voteEvent(() => s.equal.pairwise, 4),
  );
const column = (name: string) => DATASET_COLUMNS.findIndex((c) => c.name === name);
const optionOf = (r: Row) => (r.option === "A" ? "B" : "A");

type Case = {
  name: string;
  edit: Edit;
  /** Findings the tampering must cause; the first is its own. */
  codes: string[];
  seq?: () => number;
  /** A datapoint or decision id the first code's finding names. */
  about?: () => string;
  base?: () => string;
  options?: () => Promise<VerifyOptions>;
  /** False when the signed statement is gone or unusable, so the signed file list cannot be what refuses an edited file. */
  signed?: boolean;
};

const CASES: Case[] = [
  // The signed cut and the checkpoints.
  {
    name: "checkpoints.jsonl emptied",
    edit: (d) => writeText(d, "checkpoints.jsonl", ""),
    codes: ["CUT_NOT_SIGNED"],
    seq: () => sizes.at(-1)!,
  },
  {
    name: "a checkpoint's text changed under its signature",
    edit: (d) =>
      writeLines(
        d,
        "checkpoints.jsonl",
        linesIn(d, "checkpoints.jsonl").map((l, i) => (i === 0 ? l.replace(/timestamp (\d)/, "timestamp 9$1") : l)),
      ),
    codes: ["CHECKPOINT_SIGNATURE"],
  },
  {
    name: "the manifest's checkpoint note changed",
    edit: editManifest((m) => void (m.checkpoint.note = m.checkpoint.note.replace(/timestamp (\d)/, "timestamp 9$1"))),
    codes: ["CHECKPOINT_SIGNATURE"],
  },
  {
    name: "the cut's checkpoint dropped",
    edit: (d) => writeLines(d, "checkpoints.jsonl", linesIn(d, "checkpoints.jsonl").slice(0, -1)),
    codes: ["CUT_NOT_SIGNED"],
    seq: () => sizes.at(-1)!,
  },
  {
    name: "a vote changed in the trail (chain recomputed), cut down to the first checkpoint",
    edit: all(
      (d) =>
        void editEvents(
          d,
          voteEvent(() => s.trust.pairwise, 4),
          (b) => void (b.option = "B"),
        ),
      (d) => writeLines(d, "checkpoints.jsonl", linesIn(d, "checkpoints.jsonl").slice(0, 1)),
      editManifest((m) => void Object.assign(m.checkpoint, rowsIn(first, "checkpoints.jsonl")[0])),
    ),
    codes: ["CUT_NOT_SIGNED", "RELEASE_STATEMENT_MISMATCH", "VOTE_ROW_MISMATCH"],
  },
  {
    name: "an older checkpoint in the manifest in place of the cut",
    edit: editManifest((m) => void Object.assign(m.checkpoint, rowsIn(first, "checkpoints.jsonl")[0])),
    codes: ["RELEASE_STATEMENT_MISMATCH"],
  },
  {
    name: "a forged vote appended (chain recomputed), asOfSeq moved",
    edit: all(
      (d) => {
        const trail = trailIn(d);
        const forged = {
          ...(JSON.parse(trail.find((r) => r.type === "vote.cast")!.body) as Row),
          voteId: randomUUID(),
        };
        writeTrail(d, [...trail, { seq: trail.length + 1, type: "vote.cast", body: canonicalJson(forged) }]);
      },
      editManifest((m) => void (m.asOfSeq += 1)),
    ),
    codes: ["TRAIL_LENGTH", "RELEASE_STATEMENT_MISMATCH"],
    seq: () => sizes.at(-1)! + 1,
  },
  {
    name: "audit.jsonl truncated to the first checkpoint",
    edit: (d) => writeLines(d, "audit.jsonl", linesIn(d, "audit.jsonl").slice(0, sizes[0])),
    codes: ["TRAIL_TOO_SHORT", "TRAIL_LENGTH"],
    seq: () => sizes[1]!,
  },
  {
    name: "truncated consistently to an earlier signed size",
    edit: (d) => {
      const size = sizes.at(-2)!;
      writeLines(d, "audit.jsonl", linesIn(d, "audit.jsonl").slice(0, size));
      writeLines(d, "checkpoints.jsonl", linesIn(d, "checkpoints.jsonl").slice(0, -1));
      editManifest((m) => {
        Object.assign(m.checkpoint, rowsIn(first, "checkpoints.jsonl").at(-2));
        m.asOfSeq = size;
      })(d);
    },
    codes: ["TRAIL_LENGTH", "CUT_NOT_SIGNED"],
    seq: () => sizes.at(-2)!,
  },
  {
    name: "a genuine later checkpoint added past the cut",
    edit: (d) =>
      writeLines(d, "checkpoints.jsonl", [
        ...linesIn(d, "checkpoints.jsonl"),
        linesIn(second, "checkpoints.jsonl").at(-1)!,
      ]),
    codes: ["CHECKPOINT_BEYOND_CUT", "TRAIL_TOO_SHORT"],
  },
  {
    name: "the older release passed off as the current one",
    edit: () => undefined,
    codes: ["OLDER_THAN_PREVIOUS"],
    options: async () => ({ previous: await openRelease(second) }),
  },
  {
    name: "a vote the earlier release covers changed (chain recomputed)",
    edit: (d) =>
      void editEvents(
        d,
        voteEvent(() => s.equal.pairwise, 4),
        (b) => void (b.option = "A"),
      ),
    codes: ["CONSISTENCY_MISMATCH", "ROOT_MISMATCH"],
    seq: () => sizes.at(-1)!,
    base: () => second,
    options: async () => ({ previous: await openRelease(first) }),
  },
  {
    name: "checked against an earlier release stripped of its signed cut",
    edit: () => undefined,
    codes: ["PREVIOUS_UNSIGNED"],
    base: () => second,
    options: async () => {
      const previous = copyOf(first);
      writeText(previous, "checkpoints.jsonl", "");
      editManifest((m) => void (m.signedRelease = null))(previous);
      return { previous: await openRelease(previous) };
    },
  },
  {
    name: "a vote changed and every checkpoint and the statement re-signed with a new key (--key pins the log's)",
    edit: (d) => {
      editEvents(
        d,
        voteEvent(() => s.equal.pairwise, 4),
        (b) => void (b.option = "A"),
      );
      resignRelease(d, strangerSigner(ORIGIN));
    },
    codes: ["SHIPPED_KEY_NOT_PINNED", "RELEASE_SIGNATURE", "CHECKPOINT_SIGNATURE"],
    options: pinned,
    signed: false,
  },
  {
    name: "re-signed with a new key, checked against the earlier release",
    edit: (d) => resignRelease(d, strangerSigner(ORIGIN)),
    codes: ["PREVIOUS_KEY_CHANGED"],
    base: () => second,
    options: async () => ({ previous: await openRelease(first) }),
    signed: false,
  },
  {
    name: "re-signed with a new key and a forged rotation from the log's key to it",
    edit: (d) => {
      const stranger = strangerSigner(ORIGIN);
      resignRelease(d, stranger);
      const from = parseVerifierKey(publishedKey().verifierKey)!;
      editManifest(
        (m) =>
          void (m.keyRotations = [
            signKeyRotation(stranger, from, noteVerifier(ORIGIN, stranger.publicKey), sizes.at(-1)!),
          ]),
      )(d);
    },
    codes: ["KEY_ROTATION_INVALID"],
    signed: false,
  },
  {
    name: "a key rotation that is no signed note",
    edit: editManifest((m) => void (m.keyRotations = ["plenary-key-rotation/1"])),
    codes: ["KEY_ROTATION_INVALID"],
  },
  {
    name: "the checkpoint key replaced by another",
    edit: (d) =>
      writeText(d, "checkpoint-key.pem", strangerSigner(ORIGIN).publicKey.export({ type: "spki", format: "pem" })),
    codes: ["RELEASE_SIGNATURE", "CHECKPOINT_SIGNATURE"],
    signed: false,
  },
  // The signed statement and the manifest.
  {
    name: "the signed statement removed, a vote changed",
    edit: all(
      row(
        "votes.jsonl",
        vote(() => s.equal.pairwise, 4),
        (r) => void (r.option = optionOf(r)),
      ),
      editManifest((m) => void (m.signedRelease = null)),
    ),
    codes: ["RELEASE_UNSIGNED", "VOTE_ROW_MISMATCH"],
    signed: false,
  },
  {
    name: "the statement's file list changed to a tampered file's hash",
    edit: all(
      row(
        "votes.jsonl",
        vote(() => s.equal.pairwise, 4),
        (r) => void (r.option = optionOf(r)),
      ),
      (d) => {
        const old = manifestIn(first).files.find((f) => f.name === "votes.jsonl")!.sha256;
        fixManifest(d);
        editManifest((m) => void (m.signedRelease = m.signedRelease!.replace(old, digestOf(d, "votes.jsonl").sha256)))(
          d,
        );
      },
    ),
    codes: ["RELEASE_SIGNATURE", "VOTE_ROW_MISMATCH"],
    signed: false,
  },
  {
    name: "the statement signed again by another key over a tampered dataset",
    edit: all(
      row(
        "dataset.jsonl",
        dataset(() => s.equal.rating),
        (r) => void (r.final_label = "5"),
      ),
      fixManifest,
      (d) => signStatement(d, strangerSigner(ORIGIN)),
    ),
    codes: ["RELEASE_SIGNATURE", "DATASET_ROW_MISMATCH"],
    signed: false,
  },
  {
    name: "the manifest's file hashes updated to match a tampered votes.jsonl",
    edit: without(
      "votes.jsonl",
      vote(() => s.trust.pairwise, 1),
    ),
    codes: ["FILE_MISMATCH", "RELEASE_STATEMENT_MISMATCH", "VOTE_ROW_MISSING", "ROWS_MISMATCH"],
  },
  {
    name: "an extra file in the directory",
    edit: (d) => writeText(d, "README.txt", "Trust me."),
    codes: ["FILE_EXTRA"],
  },
  {
    name: "the manifest's filters changed",
    edit: editManifest((m) => void (m.filters = { status: "any" })),
    codes: ["RELEASE_STATEMENT_MISMATCH"],
  },
  {
    name: "the manifest's policies changed",
    edit: editManifest((m) => void delete m.policies[Object.keys(m.policies)[0]!]),
    codes: ["MANIFEST_POLICIES_MISMATCH"],
  },
  // audit.jsonl, line by line.
  {
    name: "a vote's body changed, hashes as stored",
    edit: editLine(firstVoteSeq, (r) => void (r.body = r.body.replace('"option":"B"', '"option":"A"'))),
    codes: ["LEAF_HASH_MISMATCH", "ROOT_MISMATCH"],
    seq: firstVoteSeq,
  },
  {
    name: "a vote's body changed with its leaf hash",
    edit: editLine(
      firstVoteSeq,
      (r) => void ((r.body = r.body.replace('"option":"B"', '"option":"A"')), (r.leafHash = toHex(leafHash(r.body)))),
    ),
    codes: ["CHAIN_HASH_MISMATCH"],
    seq: firstVoteSeq,
  },
  {
    name: "a vote changed, leaf and chain hashes recomputed",
    edit: (d) =>
      void editEvents(
        d,
        voteEvent(() => s.equal.pairwise, 4),
        (b) => void (b.option = "A"),
      ),
    codes: ["ROOT_MISMATCH", "TALLY_MISMATCH", "VOTE_ROW_MISMATCH"],
    seq: () => sizes[0]!,
  },
  {
    name: "two events swapped",
    edit: (d) => {
      const l = linesIn(d, "audit.jsonl");
      [l[9], l[10]] = [l[10]!, l[9]!];
      writeLines(d, "audit.jsonl", l);
    },
    codes: ["SEQ_GAP"],
    seq: () => 11,
  },
  {
    name: "an event dropped",
    edit: (d) =>
      writeLines(
        d,
        "audit.jsonl",
        linesIn(d, "audit.jsonl").filter((_, i) => i !== 9),
      ),
    codes: ["SEQ_GAP", "TRAIL_LENGTH"],
    seq: () => 11,
  },
  {
    name: "a body not canonical, hashes recomputed",
    edit: (d) =>
      writeTrail(
        d,
        trailIn(d).map((r) => (r.seq === 5 ? { ...r, body: r.body.replace("{", "{ ") } : r)),
      ),
    codes: ["NOT_CANONICAL"],
    seq: () => 5,
  },
  {
    name: "an event with a field it may not have, hashes recomputed",
    edit: (d) =>
      void editEvents(
        d,
        voteEvent(() => s.equal.rating, 2),
        (b) => void (b.weight = 10),
      ),
    codes: ["INVALID_EVENT"],
  },
  {
    name: "a record's stored type changed",
    edit: editLine(firstVoteSeq, (r) => void (r.type = "vote.changed")),
    codes: ["TYPE_MISMATCH"],
    seq: firstVoteSeq,
  },
  {
    name: "a line that is no audit record",
    edit: (d) => {
      const l = linesIn(d, "audit.jsonl");
      l.splice(20, 0, '{"seq":"twenty"}');
      writeLines(d, "audit.jsonl", l);
    },
    codes: ["MALFORMED_LINE"],
  },
  // votes.jsonl
  {
    name: "a vote's option changed",
    edit: row(
      "votes.jsonl",
      vote(() => s.equal.pairwise, 4),
      (r) => void (r.option = "A"),
    ),
    codes: ["VOTE_ROW_MISMATCH"],
    seq: firstVoteSeq,
    about: () => s.equal.pairwise,
  },
  {
    name: "a vote dropped",
    edit: without(
      "votes.jsonl",
      vote(() => s.equal.pairwise, 4),
    ),
    codes: ["VOTE_ROW_MISSING"],
    seq: firstVoteSeq,
  },
  {
    name: "a vote duplicated",
    edit: withRow(
      "votes.jsonl",
      vote(() => s.equal.rating, 0),
      (r) => r,
    ),
    codes: ["VOTE_ROW_DUPLICATE"],
  },
  {
    name: "a vote on an unselected datapoint",
    edit: withRow(
      "votes.jsonl",
      vote(() => s.trust.pairwise, 0),
      (r) => ({ ...r, datapoint_id: s.trust.rating }),
    ),
    codes: ["VOTE_ROW_UNSELECTED"],
    about: () => s.trust.rating,
  },
  {
    name: "a vote that was never cast",
    edit: withRow(
      "votes.jsonl",
      vote(() => s.trust.pairwise, 0),
      (r) => ({ ...r, rater_id: randomUUID() }),
    ),
    codes: ["VOTE_ROW_UNKNOWN"],
  },
  {
    name: "a vote row without its rationale column",
    edit: row(
      "votes.jsonl",
      vote(() => s.trust.pairwise, 0),
      (r) => void delete r.rationale_sha256,
    ),
    codes: ["VOTE_ROW_MALFORMED"],
  },
  // policies.json
  {
    name: "a policy's document changed",
    edit: editPolicies((p) => {
      const [hash, entry] = Object.entries(p).find(([, e]) => e.kind === "EQUAL")!;
      return {
        ...p,
        [hash]: { ...entry, document: (entry.document as string).replace('"minVotes":3', '"minVotes":1') },
      };
    }),
    codes: ["POLICY_HASH_MISMATCH"],
  },
  {
    name: "a policy dropped",
    edit: editPolicies((p) => Object.fromEntries(Object.entries(p).filter(([, e]) => e.kind !== "RELIABILITY"))),
    codes: ["POLICY_MISSING"],
  },
  {
    name: "a published policy no decision used added",
    edit: (d) => {
      const { document, contentHash, name, version } = JSON.parse(
        trailIn(d).find((r) => r.body.includes('"name":"tamper-unused"'))!.body,
      ) as Row;
      return editPolicies((p) => ({
        ...p,
        [contentHash as string]: { name, version, kind: "EQUAL", document: canonicalJson(document) },
      }))(d);
    },
    codes: ["POLICY_EXTRA"],
  },
  {
    name: "a policy that was never published added",
    edit: editPolicies((p) => {
      const document = canonicalJson({ kind: "equal", name: "forged" });
      return { ...p, [sha256Hex(document)]: { name: "forged", version: 1, kind: "EQUAL", document } };
    }),
    codes: ["POLICY_WITHOUT_EVENT"],
  },
  {
    name: "a policy's name changed",
    edit: editPolicies((p) => {
      for (const e of Object.values(p)) if (e.kind === "TRUST_TIER") e.name = "tamper-equal";
      return p;
    }),
    codes: ["POLICY_EVENT_MISMATCH"],
  },
  { name: "policies.json not JSON", edit: (d) => writeText(d, "policies.json", "{"), codes: ["POLICIES_MALFORMED"] },
  {
    name: "policies.json laid out otherwise",
    edit: (d) => writeText(d, "policies.json", JSON.stringify(JSON.parse(readText(d, "policies.json")))),
    codes: ["POLICIES_LAYOUT"],
  },
  // dataset.jsonl
  {
    name: "a final label changed",
    edit: row(
      "dataset.jsonl",
      dataset(() => s.equal.pairwise),
      (r) => void (r.final_label = "B"),
    ),
    codes: ["DATASET_ROW_MISMATCH"],
    about: () => s.equal.pairwise,
  },
  {
    name: "a prompt changed",
    edit: row(
      "dataset.jsonl",
      dataset(() => s.trust.pairwise),
      (r) => void (r.prompt = "How do I poach an egg?"),
    ),
    codes: ["CONTENT_HASH_MISMATCH"],
    about: () => s.trust.pairwise,
  },
  {
    name: "a chosen response's text changed",
    edit: row(
      "dataset.jsonl",
      dataset(() => s.reliability.pairwise),
      (r) => void ((r.responses as Row[])[0]!.text = "Boil it for an hour."),
    ),
    codes: ["CONTENT_HASH_MISMATCH"],
    about: () => s.reliability.pairwise,
  },
  {
    name: "a multi-turn context changed",
    edit: row(
      "dataset.jsonl",
      dataset(() => s.equal.pairwise),
      (r) => void (r.context = "User: Be brief."),
    ),
    codes: ["CONTENT_HASH_MISMATCH"],
    about: () => s.equal.pairwise,
  },
  {
    name: "a dataset row dropped",
    edit: without(
      "dataset.jsonl",
      dataset(() => s.equal.rating),
    ),
    codes: ["DATASET_ROW_MISSING"],
    about: () => s.equal.rating,
  },
  {
    name: "a dataset row duplicated",
    edit: withRow(
      "dataset.jsonl",
      dataset(() => s.trust.classification),
      (r) => r,
    ),
    codes: ["DATASET_ROW_DUPLICATE"],
    about: () => s.trust.classification,
  },
  {
    name: "a row for a datapoint the filters do not select",
    edit: withRow(
      "dataset.jsonl",
      dataset(() => s.trust.pairwise),
      (r) => ({ ...r, datapoint_id: s.trust.rating }),
    ),
    codes: ["DATASET_ROW_UNSELECTED"],
    about: () => s.trust.rating,
  },
  {
    name: "a row for a datapoint never published",
    edit: withRow(
      "dataset.jsonl",
      dataset(() => s.trust.pairwise),
      (r) => ({ ...r, datapoint_id: randomUUID() }),
    ),
    codes: ["DATASET_ROW_UNKNOWN"],
  },
  {
    name: "a pairwise row without its response B",
    edit: row(
      "dataset.jsonl",
      dataset(() => s.reliability.pairwise),
      (r) => void ((r.responses as Row[])[1]!.id = "C"),
    ),
    codes: ["DATASET_ROW_MALFORMED", "CONTENT_HASH_MISMATCH"],
    about: () => s.reliability.pairwise,
  },
  // dataset.csv
  {
    name: "a label changed in the CSV",
    edit: editCsv((r) => r.map((c) => (c[0] === s.equal.rating ? c.with(column("final_label"), "5") : c))),
    codes: ["CSV_ROW_MISMATCH"],
    about: () => s.equal.rating,
  },
  {
    name: "a CSV row dropped",
    edit: editCsv((r) => r.filter((c) => c[0] !== s.trust.pairwise)),
    codes: ["CSV_ROW_MISSING", "ROWS_MISMATCH"],
    about: () => s.trust.pairwise,
  },
  { name: "a CSV row duplicated", edit: editCsv((r) => [...r, r[1]!]), codes: ["CSV_ROW_DUPLICATE"] },
  {
    name: "a CSV column renamed",
    edit: editCsv((r) => [r[0]!.with(column("final_label"), "label"), ...r.slice(1)]),
    codes: ["CSV_HEADER"],
  },
  {
    name: "the CSV cut in a quoted field",
    edit: (d) => writeText(d, "dataset.csv", `${readText(d, "dataset.csv")}"unterminated,`),
    codes: ["CSV_UNREADABLE"],
  },
  // dataset.parquet, written again by the export's own writer
  {
    name: "a label changed in the Parquet file",
    edit: (d) =>
      rewriteParquet(d, (r) => r.map((o) => (o.datapoint_id === s.trust.pairwise ? { ...o, final_label: "A" } : o))),
    codes: ["PARQUET_ROW_MISMATCH"],
    about: () => s.trust.pairwise,
  },
  {
    name: "a Parquet row dropped",
    edit: (d) => rewriteParquet(d, (r) => r.filter((o) => o.datapoint_id !== s.equal.classification)),
    codes: ["PARQUET_ROW_MISSING"],
    about: () => s.equal.classification,
  },
  {
    name: "a Parquet column renamed",
    edit: (d) =>
      rewriteParquet(
        d,
        (r) => r,
        DATASET_COLUMNS.map((c) => (c.name === "final_label" ? { ...c, name: "label" as never } : c)),
      ),
    codes: ["PARQUET_SCHEMA"],
  },
  // Caught without the signed file list too: the statement removed, each stated field checked against what it claims.
  {
    name: "the manifest's verifier key swapped for another key's",
    edit: editManifest(
      (m) =>
        void (m.checkpointKey!.verifierKey = m.checkpointKey!.verifierKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+")),
    ),
    codes: ["MANIFEST_KEY_MISMATCH"],
  },
  {
    name: "a checkpoint line's root changed beside its note",
    edit: all(
      editManifest((m) => void (m.signedRelease = null)),
      (d) =>
        writeLines(
          d,
          "checkpoints.jsonl",
          linesIn(d, "checkpoints.jsonl").map((l, i) =>
            i === 0
              ? l.replace(/"rootHash":"([0-9a-f])/, (_m, c: string) => `"rootHash":"${c === "0" ? "1" : "0"}`)
              : l,
          ),
        ),
    ),
    codes: ["CHECKPOINT_LINE_MISMATCH", "RELEASE_UNSIGNED"],
    signed: false,
  },
  {
    name: "a vote's cast_at written as the same instant another way",
    edit: all(
      editManifest((m) => void (m.signedRelease = null)),
      row(
        "votes.jsonl",
        vote(() => s.equal.pairwise, 4),
        (r) => void (r.cast_at = String(r.cast_at).replace("Z", "+00:00")),
      ),
    ),
    codes: ["VOTE_ROW_MISMATCH", "RELEASE_UNSIGNED"],
    signed: false,
  },
  {
    name: "a Parquet column's type changed, values equal",
    edit: all(
      editManifest((m) => void (m.signedRelease = null)),
      (d) =>
        rewriteParquet(
          d,
          (r) => r,
          DATASET_COLUMNS.map((c) => (c.name === "votes" ? { ...c, type: "DOUBLE" as const } : c)),
        ),
    ),
    codes: ["PARQUET_SCHEMA", "RELEASE_UNSIGNED"],
    signed: false,
  },
  {
    name: "the Parquet file truncated to garbage",
    edit: (d) => truncateSync(path.join(d, "dataset.parquet"), 100),
    codes: ["PARQUET_UNREADABLE"],
  },
  // dataset.preference.jsonl
  {
    name: "chosen and rejected swapped",
    edit: row(
      "dataset.preference.jsonl",
      pair(() => s.equal.pairwise),
      (r) => void ([r.chosen, r.rejected] = [r.rejected, r.chosen]),
    ),
    codes: ["PREFERENCE_ROW_MISMATCH"],
    about: () => s.equal.pairwise,
  },
  {
    name: "a preference pair dropped",
    edit: without(
      "dataset.preference.jsonl",
      pair(() => s.trust.pairwise),
    ),
    codes: ["PREFERENCE_ROW_MISSING"],
    about: () => s.trust.pairwise,
  },
  {
    name: "a preference pair for a rating",
    edit: withRow(
      "dataset.preference.jsonl",
      pair(() => s.trust.pairwise),
      (r) => ({ ...r, metadata: { ...(r.metadata as Row), datapoint_id: s.equal.rating } }),
    ),
    codes: ["PREFERENCE_ROW_EXTRA"],
    about: () => s.equal.rating,
  },
  // decisions.jsonl
  {
    name: "a rationale changed",
    edit: row(
      "decisions.jsonl",
      decision(() => s.equal.pairwise),
      (r) => void (r.rationale = "The moderator liked it."),
    ),
    codes: ["DECISION_RATIONALE_MISMATCH"],
  },
  {
    name: "a decision's moderator changed",
    edit: row(
      "decisions.jsonl",
      decision(() => s.equal.rating),
      (r) => void (r.moderator_id = s.mod2.id),
    ),
    codes: ["DECISION_ROW_MISMATCH"],
  },
  {
    name: "a superseded decision made final again",
    edit: row(
      "decisions.jsonl",
      decision(() => s.representative.pairwise, "SUPERSEDED"),
      (r) => void ((r.status = "FINAL"), (r.reopened_seq = null)),
    ),
    codes: ["DECISION_ROW_MISMATCH"],
    about: () => s.decisions.appealed,
  },
  {
    name: "a decision's label changed",
    edit: row(
      "decisions.jsonl",
      decision(() => s.reliability.pairwise),
      (r) => void (r.label = "B"),
    ),
    codes: ["DECISION_RECORD_MISMATCH", "LABEL_NOT_TALLY"],
  },
  {
    name: "a decision record dropped",
    edit: without(
      "decisions.jsonl",
      decision(() => s.trust.pairwise),
    ),
    codes: ["DECISION_RECORD_MISSING"],
    about: () => s.trust.pairwise,
  },
  {
    name: "a decision record duplicated",
    edit: withRow(
      "decisions.jsonl",
      decision(() => s.equal.classification),
      (r) => r,
    ),
    codes: ["DECISION_DUPLICATE"],
    about: () => s.decisions.confirmed,
  },
  {
    name: "a decision fabricated for a datapoint never decided",
    edit: withRow(
      "decisions.jsonl",
      decision(() => s.reliability.pairwise),
      (r) => ({ ...r, decision_id: randomUUID(), datapoint_id: s.reliability.rating, label: "3" }),
    ),
    codes: ["DECISION_WITHOUT_EVENT"],
    about: () => s.reliability.rating,
  },
  {
    name: "a pending override's decision added",
    edit: withRow(
      "decisions.jsonl",
      decision(() => s.trust.classification, "DECLINED"),
      (r) => ({ ...r, decision_id: s.decisions.pending, datapoint_id: s.trust.rating }),
    ),
    codes: ["DECISION_UNSELECTED"],
    about: () => s.decisions.pending,
  },
  {
    name: "a decision's tally changed",
    edit: row(
      "decisions.jsonl",
      decision(() => s.equal.rating),
      (r) => void (r.tally = canonicalJson({ ...(JSON.parse(r.tally as string) as Row), votes: 7 })),
    ),
    codes: ["DECISION_TALLY_HASH", "TALLY_MISMATCH"],
  },
  {
    name: "a decision's vote digest changed",
    edit: row(
      "decisions.jsonl",
      decision(() => s.trust.classification),
      (r) => void (r.vote_digest = sha256Hex("forged")),
    ),
    codes: ["VOTE_DIGEST_MISMATCH", "DECISION_RECORD_MISMATCH"],
  },
  {
    name: "a decision considering events past the trail",
    edit: row(
      "decisions.jsonl",
      decision(() => s.equal.pairwise),
      (r) => void (r.last_seq = 10_000),
    ),
    codes: ["DECISION_BEYOND_LOG"],
    seq: () => 10_000,
  },
  {
    name: "a line that is no decision record",
    edit: (d) => writeLines(d, "decisions.jsonl", [...linesIn(d, "decisions.jsonl"), '{"decision_id":1}']),
    codes: ["DECISION_ROW_MALFORMED"],
  },
];

describe("an intact release", () => {
  it("verifies with no findings, alone and after the earlier release", async () => {
    expect((await verifyRelease(await openRelease(first))).findings).toEqual([]);
    expect((await verifyRelease(await openRelease(second), { previous: await openRelease(first) })).findings).toEqual(
      [],
    );
    const kinds = rowsIn(first, "decisions.jsonl").map((r) => (JSON.parse(r.tally as string) as Row).policyKind);
    expect(new Set(kinds)).toEqual(new Set(["equal", "trust-tier", "reliability", "representative"]));
    expect(
      rowsIn(first, "decisions.jsonl")
        .map((r) => r.status)
        .sort(),
    ).toEqual(["DECLINED", "FINAL", "FINAL", "FINAL", "FINAL", "FINAL", "FINAL", "FINAL", "SUPERSEDED"]);
    expect(linesIn(first, "dataset.preference.jsonl")).toHaveLength(4);
  });

  it("verifies through the CLI, trusting the shipped key or one pinned as a PEM file or a verifier key", () => {
    const pem = path.join(root, "site-key.pem");
    writeFileSync(pem, publishedKey().publicKeyPem);
    expect(cli(first).out).toMatch(/^VERIFIED: .*trusted the key shipped in the release/m);
    for (const key of [pem, publishedKey().verifierKey]) {
      const run = cli(first, "--key", key);
      expect([run.code, run.out]).toEqual([
        0,
        expect.stringMatching(/^VERIFIED: log plenary\.tamper-test\/log, key [0-9a-f]{8} pinned with --key/m),
      ]);
    }
    expect(cli(second, "--previous", first).code).toBe(0);
  });

  it("re-signed with a stranger's key, verifies only by trusting the shipped key, whose fingerprint is not the log's", async () => {
    const copy = copyOf(first);
    resignRelease(copy, strangerSigner(ORIGIN));
    const result = await verifyRelease(await openRelease(copy));
    expect([result.findings, result.trust.pinned]).toEqual([[], false]);
    expect(result.trust.fingerprint).not.toBe(publishedKey().fingerprint);
    expect(cli(copy, "--key", publishedKey().verifierKey).code).toBe(1);
  });
});

describe("a tampered release", () => {
  it("is tampered with in at least 40 distinct ways, each its own case", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)("$name: $codes.0", async ({ edit, codes, seq, about, base, options, signed = true }) => {
    const original = base?.() ?? first;
    const copy = copyOf(original);
    await edit(copy);
    const changed = RELEASE_FILES.filter(
      (name) => existsSync(path.join(copy, name)) && digestOf(copy, name).sha256 !== digestOf(original, name).sha256,
    );
    fixManifest(copy);
    const { findings } = await verifyRelease(await openRelease(copy), await options?.());
    const shown = JSON.stringify(findings, null, 1);
    expect(
      findings.map((f) => f.code),
      shown,
    ).toEqual(expect.arrayContaining(codes));
    const own = findings.filter((f) => f.code === codes[0]);
    if (seq)
      expect(
        own.map((f) => f.seq),
        shown,
      ).toContain(seq());
    if (about)
      expect(
        own.some((f) => f.detail.includes(about())),
        shown,
      ).toBe(true);
    if (signed && changed.length) {
      expect(
        findings.map((f) => f.code),
        shown,
      ).toContain("RELEASE_STATEMENT_MISMATCH");
      for (const name of changed)
        expect(findings, shown).toContainEqual(expect.objectContaining({ code: "FILE_MISMATCH", file: name }));
    }
  });
});

// A record's tally that is not JSON once made the replay throw (the CLI exited 2, "failed
// unexpectedly"): it is a finding like any other mismatch.
it("a decision whose tally is not JSON is a finding, not a crash", async () => {
  const copy = copyOf(first);
  row(
    "decisions.jsonl",
    decision(() => s.equal.rating),
    (r) => void (r.tally = "not JSON"),
  )(copy);
  fixManifest(copy);
  expect((await verifyRelease(await openRelease(copy))).findings.map((f) => f.code)).toContain("DECISION_TALLY_HASH");
});

describe("the CLI on unusable input", () => {
  const unusable: [string, (dir: string) => void, string[]?][] = [
    ["a missing file", (d) => rmSync(path.join(d, "dataset.csv"))],
    ["a truncated manifest.json", (d) => truncateSync(path.join(d, "manifest.json"), 200)],
    ["a manifest that is not JSON", (d) => writeText(d, "manifest.json", "Trust me.")],
    ["a manifest of something else", (d) => writeText(d, "manifest.json", '{"files":[]}')],
    ["a garbage --key", () => undefined, ["--key", "not-a-key"]],
    [
      "a PEM --key that is no Ed25519 key",
      (d) => writeText(d, "other.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
      ["--key", "other.pem"],
    ],
  ];
  it.each(unusable)("answers %s with exit code 2 and one line", (_, edit, args = []) => {
    const copy = copyOf(first);
    edit(copy);
    const run = cli(copy, ...args.map((a) => (a.endsWith(".pem") ? path.join(copy, a) : a)));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^verify: [^\n]+\n$/);
    expect(run.err).not.toMatch(/\n\s+at /);
  });

  it("answers a mismatch with exit code 1", () => {
    const copy = copyOf(first);
    without(
      "dataset.jsonl",
      dataset(() => s.equal.rating),
    )(copy);
    const run = cli(copy);
    expect([run.code, run.out]).toEqual([
      1,
      expect.stringMatching(/DATASET_ROW_MISSING[\s\S]*^NOT VERIFIED: \d+ problems/m),
    ]);
  });
});
