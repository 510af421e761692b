// The offline verifier: given a release, check that every file is what the manifest says,
// that the audit log's chain is intact, that its Merkle roots match the signed checkpoints
// (and an earlier release's), and that every decision follows from the recorded votes and
// policy. Problems are reported by seq; nothing here needs a database or the network.
// The trail's lines are checked in worker threads (trail.ts, trail-lines.ts); everything that
// depends on the order of events stays in this thread, so findings do not depend on timing.
import { createHash, createPublicKey } from "node:crypto";
import { availableParallelism } from "node:os";
import { canonicalJson } from "@/lib/audit/canonical";
import { equalBytes, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { ChainVerifier, type EventProblem } from "@/lib/audit/verify";
import { verifyCheckpoint, type CheckpointBody } from "@/lib/checkpoints/format";
import { keyFingerprint, noteVerifier, verifierKeyString, type NoteVerifier } from "@/lib/checkpoints/note";
import { openReleaseStatement, type ReleaseStatement } from "@/lib/checkpoints/release";
import { inHistory, keyAt, keyHistory, type KeyHistory } from "@/lib/checkpoints/rotation";
import { filtersOf } from "@/lib/exports/schema";
import {
  DecisionChecker,
  releasedDecisionSchema,
  readsHistory,
  type ReleasedDecision,
  type Finding,
} from "./decisions";
import { ReleaseFacts } from "./facts";
import { finalizedDatapoints } from "./prescan";
import { compareDecisions, comparePolicies, rebuildContext, type DecisionLine } from "./rebuild";
import { compareCsv, compareDataset, compareParquet, comparePreference } from "./rebuild-dataset";
import { compareVotes } from "./rebuild-votes";
import { UnusableInput, linesOf, textOf, type Release } from "./source";
import { LineCheckers, auditChunks } from "./trail";
import { AUDIT_RECORD, CHAINED, CHAIN_UNCHECKED, HASH_BYTES, PAIR, VALID_EVENT } from "./trail-lines";
import { z } from "zod";

export type { Finding };
export type Verification = {
  findings: Finding[];
  events: number;
  checkpoints: number;
  decisions: number;
  /** The key the release was checked with, and whether the caller pinned it. */
  trust: Trust;
  /** The signed cut the release is at (its tree size), or null when the release has none. */
  cut: number | null;
};
type Root = { treeSize: number; rootHash: string; source: string; previous?: boolean };
type Trust = {
  origin: string;
  keyId: string;
  fingerprint: string;
  /** The caller pinned the key (--key), or pinned an earlier key that handed the log over to it. */
  pinned: boolean;
  verifier: NoteVerifier;
  /** The log's keys over time, from the release's rotation notes, ending at `verifier`. */
  history: KeyHistory;
};

export type VerifyOptions = {
  /** The trusted key (--key); by default the key shipped in the release, which the result says. */
  key?: NoteVerifier;
  previous?: Release;
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that check the trail's lines; 0 checks them in this thread. By default one
   * a core but one when audit.jsonl has PARALLEL_FROM_BYTES or more (this thread checks lines
   * too whenever the workers are busy; below that size, starting workers costs more than they
   * save), else 0.
   */
  workers?: number;
  /** Bytes of audit.jsonl in each chunk handed to a checker. */
  chunkBytes?: number;
  /** Told when a phase ends: "log" (files hashed, signatures, chain, roots, tallies), then "files" (the rebuild). */
  onPhase?: (phase: "log" | "files") => void;
  /**
   * Hand every chunk to a worker, even before one has loaded its code; by default this thread
   * checks the chunks no worker has room for. For tests of the worker path alone.
   */
  waitForWorkers?: boolean;
};

export const PARALLEL_FROM_BYTES = 32 * 2 ** 20;
const CHUNK_BYTES = 2 ** 20;
const TRAIL = "audit.jsonl";

export async function verifyRelease(release: Release, options: VerifyOptions = {}): Promise<Verification> {
  const auditBytes = release.manifest.files.find((f) => f.name === TRAIL)?.bytes ?? 0;
  // Started first: the workers load their code while the files are hashed.
  const checkers = new LineCheckers(
    options.workers ?? (auditBytes >= PARALLEL_FROM_BYTES ? Math.max(1, availableParallelism() - 1) : 0),
    options.waitForWorkers,
  );
  try {
    return await verifyWith(release, options, checkers);
  } finally {
    await checkers.close();
  }
}

async function verifyWith(release: Release, options: VerifyOptions, checkers: LineCheckers): Promise<Verification> {
  const findings: Finding[] = [];
  const trust = await trustFor(release, options.key, findings);
  const statement = signedStatement(release, trust, findings);
  const listed = statement?.files ?? release.manifest.files;
  findings.push(...listFindings(release, listed));
  // audit.jsonl's SHA-256 is taken while the trail is read for its checks, not in a pass of its own.
  const digests = await digestFiles(release, listed, TRAIL);
  const cut = statement?.cut ?? null;
  const roots = await signedRoots(release, trust.history, findings);
  findings.push(...cutFindings(roots, cut));
  if (options.previous) roots.push(...(await previousRoots(options.previous, trust, cut, findings)));
  roots.sort((a, b) => a.treeSize - b.treeSize);

  const decisionLines: DecisionLine[] = [];
  const records: ReleasedDecision[] = [];
  for await (const text of linesOf(release, "decisions.jsonl")) {
    const row = safeJson(text);
    const parsed = releasedDecisionSchema.safeParse(row);
    if (!parsed.success || !row || typeof row !== "object") {
      findings.push({
        code: "DECISION_ROW_MALFORMED",
        file: "decisions.jsonl",
        detail: `a line is not a decision record: ${text.slice(0, 80)}`,
      });
      continue;
    }
    records.push(parsed.data);
    decisionLines.push({ text, row: row as Record<string, unknown> });
  }
  const history = readsHistory(records) ? await finalizedDatapoints(release, options.chunkBytes ?? CHUNK_BYTES) : [];
  // Votes are summarised for the rebuild of votes.jsonl only on the datapoints the release has
  // rows for: a vote row on any other datapoint is refused without its event (rebuild-votes.ts),
  // and a selected datapoint without a row is refused as such.
  const summarised = await releasedDatapoints(release, records);
  const trailDigest = createHash("sha256");
  let trailBytes = 0;
  let trail = await checkTrail(
    release,
    roots,
    new DecisionChecker(records, history),
    summarised,
    checkers,
    options,
    (bytes) => {
      trailDigest.update(bytes);
      trailBytes += bytes.byteLength;
    },
  );
  digests.set(TRAIL, { sha256: trailDigest.digest("hex"), bytes: trailBytes });
  if (trail.decisions.incomplete) {
    // A reliability tally read votes the scan did not foresee: replay keeping every datapoint
    // the log finalized, which is all a history can read.
    trail = await checkTrail(
      release,
      roots,
      new DecisionChecker(records, [...trail.decisions.kept, ...trail.decisions.finalizedDatapoints]),
      summarised,
      checkers,
      options,
    );
  }
  const { chain, decisions, size, facts } = trail;
  findings.unshift(...fileFindings(listed, digests));
  findings.push(...trail.findings);
  for (const root of trail.unreached) {
    findings.push({
      code: "TRAIL_TOO_SHORT",
      seq: root.treeSize,
      detail: `${root.source} signs ${root.treeSize} events, but the trail holds only ${size}`,
    });
  }
  const total = cut?.treeSize ?? release.manifest.asOfSeq;
  if (size !== total)
    findings.push({
      code: "TRAIL_LENGTH",
      seq: size,
      detail: `the release is cut at seq ${total}; the trail ends at ${size}`,
    });
  for (const problem of chain.problems)
    findings.push({ code: problem.code, seq: Number(problem.seq), detail: problem.detail });
  findings.push(...decisions.findings);
  options.onPhase?.("log");

  const filters = filtersOf((statement?.filters ?? release.manifest.filters ?? {}) as Parameters<typeof filtersOf>[0]);
  const context = rebuildContext(release, facts, filters, decisionLines, summarised);
  compareDecisions(context);
  comparePolicies(context, await textOf(release, "policies.json"), release.manifest.policies);
  await compareVotes(context);
  const expected = await compareDataset(context);
  await compareCsv(context, expected);
  await compareParquet(context, expected);
  await comparePreference(context, expected);
  findings.push(...context.findings);
  for (const file of listed) {
    const counted = context.rows.get(file.name);
    if (counted !== undefined && file.rows !== counted) {
      findings.push({
        code: "ROWS_MISMATCH",
        file: file.name,
        detail: `${file.name} holds ${counted} rows; the release says ${String(file.rows)}`,
      });
    }
  }
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  options.onPhase?.("files");
  return {
    findings,
    events: size,
    checkpoints: roots.length,
    decisions: decisions.checked,
    trust,
    cut: cut?.treeSize ?? null,
  };
}

/**
 * One pass over audit.jsonl: lines checked by the checkers, then, in file order, the seq and
 * chain (ChainVerifier), the Merkle tree against the signed roots, the decision replay and the
 * facts the derived files are rebuilt from.
 */
async function checkTrail(
  release: Release,
  roots: Root[],
  decisions: DecisionChecker,
  summarised: ReadonlySet<string>,
  checkers: LineCheckers,
  options: VerifyOptions,
  onBytes?: (bytes: Uint8Array) => void,
) {
  const findings: Finding[] = [];
  const chain = new ChainVerifier();
  const tree = new TreeBuilder();
  const facts = new ReleaseFacts();
  const total = release.manifest.asOfSeq;
  let next = 0;
  checkers.keep(decisions.kept, summarised);
  for await (const report of checkers.check(auditChunks(release, options.chunkBytes ?? CHUNK_BYTES, onBytes))) {
    let problem = 0;
    let replayed = 0;
    let vote = 0;
    const votes = report.votes;
    for (let line = 0; line < report.lines; line++) {
      const flags = report.flags[line]!;
      if (!(flags & AUDIT_RECORD)) {
        findings.push({
          code: "MALFORMED_LINE",
          seq: tree.size + 1,
          file: "audit.jsonl",
          detail: `the line after seq ${tree.size} is not an audit record`,
        });
        continue;
      }
      let problems: readonly EventProblem[] = NO_PROBLEMS;
      if (report.problems[problem]?.line === line) {
        const start = problem;
        while (report.problems[problem]?.line === line) problem++;
        problems = report.problems.slice(start, problem);
      }
      const seq = report.seqs[line]!;
      const at = line * PAIR;
      const leaf = report.hashes.subarray(at + HASH_BYTES, at + PAIR);
      const stored = report.hashes.subarray(at + PAIR, at + PAIR + HASH_BYTES);
      chain.pushChecked(
        BigInt(seq),
        stored,
        leaf,
        problems,
        flags & CHAIN_UNCHECKED ? undefined : (flags & CHAINED) !== 0,
      );
      tree.push(leaf);
      if (flags & VALID_EVENT) {
        const event = report.events[replayed];
        if (event?.line === line) {
          replayed++;
          facts.apply(seq, event.event);
          decisions.apply(seq, event.event, leaf);
        } else {
          decisions.pass(seq);
        }
        if (votes.lines[vote] === line) {
          const key = votes.keys[vote]!;
          facts.vote(seq, key.slice(0, 36), key.slice(36), votes.fingerprints.subarray(16 * vote, 16 * vote + 16));
          vote++;
        }
      }
      while (next < roots.length && roots[next]!.treeSize <= tree.size) {
        const expected = roots[next++]!;
        if (expected.treeSize === tree.size && toHex(tree.root()) !== expected.rootHash) {
          findings.push({
            code: expected.previous ? "CONSISTENCY_MISMATCH" : "ROOT_MISMATCH",
            seq: expected.treeSize,
            detail: `the log's first ${expected.treeSize} events do not have the root signed in ${expected.source}`,
          });
        }
      }
    }
    options.onProgress?.(tree.size, total);
  }
  decisions.finish();
  return { findings, chain: chain.result(), decisions, facts, size: tree.size, unreached: roots.slice(next) };
}

const NO_PROBLEMS: readonly EventProblem[] = [];

/** The datapoints the release has rows for: those of dataset.jsonl and of the decision records. */
async function releasedDatapoints(release: Release, records: readonly ReleasedDecision[]): Promise<Set<string>> {
  const ids = new Set(records.map((record) => record.datapoint_id));
  for await (const line of linesOf(release, "dataset.jsonl")) {
    const id = (safeJson(line) as { datapoint_id?: unknown } | undefined)?.datapoint_id;
    if (typeof id === "string") ids.add(id);
  }
  return ids;
}

type Digest = { sha256: string; bytes: number };
type Listed = { name: string; sha256: string; bytes: number; rows: number | null };

/** The files every release holds, and nothing else. */
export const RELEASE_FILES = [
  "audit.jsonl",
  "checkpoints.jsonl",
  "decisions.jsonl",
  "votes.jsonl",
  "dataset.jsonl",
  "dataset.preference.jsonl",
  "dataset.csv",
  "dataset.parquet",
  "policies.json",
  "checkpoint-key.pem",
] as const;

/** A file the release must hold but does not list, or one it lists (or holds) but must not. */
function listFindings(release: Release, listed: readonly Listed[]): Finding[] {
  const findings: Finding[] = [];
  const names = new Set(listed.map((file) => file.name));
  for (const name of RELEASE_FILES) {
    if (!names.has(name))
      findings.push({
        code: "FILE_NOT_LISTED",
        file: name,
        detail: `the release's signed file list does not name ${name}`,
      });
  }
  const expected = new Set<string>(RELEASE_FILES);
  for (const name of names)
    if (!expected.has(name))
      findings.push({ code: "FILE_EXTRA", file: name, detail: `${name} is not a file of a Plenary release` });
  for (const name of release.names() ?? []) {
    if (!names.has(name))
      findings.push({
        code: "FILE_EXTRA",
        file: name,
        detail: `${name} is in the release's directory but not in its signed file list`,
      });
  }
  if (listed.length !== names.size)
    findings.push({ code: "FILE_EXTRA", file: "manifest.json", detail: "the file list names a file twice" });
  return findings;
}

/** SHA-256 and size of every listed file but `later` (whose digest is taken elsewhere). */
async function digestFiles(release: Release, listed: readonly Listed[], later: string): Promise<Map<string, Digest>> {
  for (const name of RELEASE_FILES) {
    if (!release.has(name)) throw new UnusableInput(`${name} is missing from ${release.describe}.`);
  }
  const digests = new Map<string, Digest>();
  for (const file of listed) {
    if (file.name === later || digests.has(file.name) || !release.has(file.name)) continue;
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of await release.open(file.name)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
    digests.set(file.name, { sha256: hash.digest("hex"), bytes });
  }
  return digests;
}

/** Files that do not have the SHA-256 and size the signed list records, in its order. */
function fileFindings(listed: readonly Listed[], digests: Map<string, Digest>): Finding[] {
  return listed
    .filter((file) => digests.get(file.name)?.sha256 !== file.sha256 || digests.get(file.name)?.bytes !== file.bytes)
    .map((file) => ({
      code: "FILE_MISMATCH",
      file: file.name,
      detail: `${file.name} does not have the SHA-256 and size the release's signed file list records`,
    }));
}

/** The release's signed statement, checked against the unsigned manifest fields people read. */
function signedStatement(release: Release, trust: Trust, findings: Finding[]): ReleaseStatement | null {
  const { manifest } = release;
  if (!manifest.signedRelease) {
    findings.push({
      code: "RELEASE_UNSIGNED",
      file: "manifest.json",
      detail: "the release carries no signed statement of its files, filters and cut",
    });
    return null;
  }
  const opened = openReleaseStatement(manifest.signedRelease, trust.verifier);
  if (!opened.ok) {
    findings.push({
      code: "RELEASE_SIGNATURE",
      file: "manifest.json",
      detail: `the release's signed statement does not verify: ${opened.reason}`,
    });
    return null;
  }
  const { statement } = opened;
  const files = (list: readonly Listed[]) =>
    JSON.stringify(list.map(({ name, sha256, bytes, rows }) => [name, sha256, bytes, rows]));
  const same =
    manifest.asOfSeq === statement.cut.treeSize &&
    manifest.checkpoint.treeSize === statement.cut.treeSize &&
    manifest.checkpoint.rootHash === statement.cut.rootHash &&
    files(manifest.files) === files(statement.files) &&
    canonicalJson(manifest.filters ?? {}) === canonicalJson(statement.filters);
  if (!same)
    findings.push({
      code: "RELEASE_STATEMENT_MISMATCH",
      file: "manifest.json",
      detail: "the manifest's cut, filters or file list differ from what the release's signed statement says",
    });
  return statement;
}

/** The cut must be a signed checkpoint at exactly its tree size and root, the last one of the release. */
function cutFindings(roots: Root[], cut: ReleaseStatement["cut"] | null): Finding[] {
  if (!cut) return [];
  const findings: Finding[] = [];
  const atCut = roots.find((root) => root.treeSize === cut.treeSize);
  if (!atCut)
    findings.push({
      code: "CUT_NOT_SIGNED",
      seq: cut.treeSize,
      detail: `checkpoints.jsonl holds no valid signed checkpoint at the release's cut, tree size ${cut.treeSize}`,
    });
  else if (atCut.rootHash !== cut.rootHash)
    findings.push({
      code: "CUT_ROOT_MISMATCH",
      seq: cut.treeSize,
      detail: "the signed checkpoint at the cut has another root than the release's statement",
    });
  for (const root of roots) {
    if (root.treeSize > cut.treeSize)
      findings.push({
        code: "CHECKPOINT_BEYOND_CUT",
        seq: root.treeSize,
        detail: `checkpoints.jsonl holds a checkpoint of size ${root.treeSize}, past the cut`,
      });
  }
  return findings;
}

/**
 * An earlier release's signed cut, which this release's trail must extend (its root at that
 * size is recomputed from this trail, the consistency check). It must be signed by a key of
 * this release's key history: the same key, or one that handed the log over to it by a signed
 * rotation; a release re-signed with an unrelated key breaks continuity.
 */
async function previousRoots(
  previous: Release,
  trust: Trust,
  cut: ReleaseStatement["cut"] | null,
  findings: Finding[],
): Promise<Root[]> {
  const shipped = previous.manifest.checkpointKey ? await keyOf(previous).catch(() => null) : null;
  if (!shipped || !inHistory(trust.history, shipped)) {
    findings.push({
      code: "PREVIOUS_KEY_CHANGED",
      file: "manifest.json",
      detail: `the earlier release ${previous.describe} is signed by ${shipped ? `key ${toHex(shipped.keyId)} (fingerprint ${keyFingerprint(shipped.publicKey)})` : "no usable key"}, which is neither the key this release is checked with nor one that handed the log over to it`,
    });
    return [];
  }
  const opened = previous.manifest.signedRelease
    ? openReleaseStatement(previous.manifest.signedRelease, shipped)
    : null;
  const earlier = opened?.ok
    ? opened.statement.cut
    : (await signedRoots(previous, { keys: [], current: shipped }, []))
        .map(({ treeSize, rootHash }) => ({ treeSize, rootHash }))
        .at(-1);
  if (!earlier) {
    findings.push({
      code: "PREVIOUS_UNSIGNED",
      file: "manifest.json",
      detail: `the earlier release ${previous.describe} has no signed cut to continue from`,
    });
    return [];
  }
  if (cut && earlier.treeSize > cut.treeSize) {
    findings.push({
      code: "OLDER_THAN_PREVIOUS",
      seq: cut.treeSize,
      detail: `this release is cut at ${cut.treeSize} events, before the earlier release's ${earlier.treeSize}`,
    });
  }
  return [{ ...earlier, source: `the earlier release ${previous.describe}`, previous: true }];
}

/**
 * The key to check with: the pinned one, else the one the release ships (and says so). A key
 * pinned earlier still pins a release whose rotation notes lead from it to the shipped key.
 */
async function trustFor(release: Release, pinned: NoteVerifier | undefined, findings: Finding[]): Promise<Trust> {
  const shipped = release.manifest.checkpointKey ? await keyOf(release) : null;
  let verifier = pinned ?? shipped;
  if (!verifier)
    throw new UnusableInput(
      `${release.describe} carries no checkpoint key, so its checkpoints cannot be checked; pass the site's key with --key.`,
    );
  let history = keyHistory(release.manifest.keyRotations ?? [], shipped ?? verifier);
  if (pinned && shipped && !equalBytes(pinned.publicKey, shipped.publicKey)) {
    if (history.ok && inHistory(history.history, pinned)) verifier = shipped;
    else {
      findings.push({
        code: "SHIPPED_KEY_NOT_PINNED",
        file: "checkpoint-key.pem",
        detail: `the release ships key ${toHex(shipped.keyId)}, which neither is the key given with --key nor was handed the log by it`,
      });
      history = keyHistory([], pinned);
    }
  }
  const stated = release.manifest.checkpointKey;
  // Fields a reader copies (into --key, say) must name the key the release ships, where stated.
  const differs = (value: string | undefined, actual: string) => value !== undefined && value !== actual;
  if (
    shipped &&
    stated &&
    (stated.keyName !== shipped.name ||
      differs(stated.keyId, toHex(shipped.keyId)) ||
      differs(stated.verifierKey, verifierKeyString(shipped)))
  ) {
    findings.push({
      code: "MANIFEST_KEY_MISMATCH",
      file: "manifest.json",
      detail: "the manifest's key name, key ID or verifier key is not the key the release ships",
    });
  }
  if (!history.ok) {
    findings.push({
      code: "KEY_ROTATION_INVALID",
      file: "manifest.json",
      detail: `the release's key rotations do not hold: ${history.reason}`,
    });
  }
  const keys = history.ok ? history.history : { keys: [], current: verifier };
  return {
    origin: verifier.name,
    keyId: toHex(verifier.keyId),
    fingerprint: keyFingerprint(verifier.publicKey),
    pinned: pinned !== undefined,
    verifier,
    history: keys,
  };
}

async function keyOf(release: Release): Promise<NoteVerifier> {
  const key = release.manifest.checkpointKey;
  if (!key)
    throw new UnusableInput(`${release.describe} carries no checkpoint key, so its checkpoints cannot be checked.`);
  try {
    return noteVerifier(key.keyName, createPublicKey(await textOf(release, key.file)));
  } catch (error) {
    if (error instanceof UnusableInput) throw error;
    throw new UnusableInput(
      `${key.file} in ${release.describe} is not a usable public key (${(error as Error).message}).`,
    );
  }
}

/** The checkpoints of a release whose signatures verify with the log's key at their size; others are findings. */
async function signedRoots(release: Release, history: KeyHistory, findings: Finding[]): Promise<Root[]> {
  const roots: Root[] = [];
  for await (const line of linesOf(release, "checkpoints.jsonl")) {
    const note = checkpointLine.safeParse(safeJson(line));
    const key = note.success ? keyAt(history, claimedSize(note.data.note)) : null;
    const read =
      note.success && key
        ? verifyCheckpoint(note.data.note, key)
        : ({ ok: false, reason: "the line is not a checkpoint record" } as const);
    if (!read.ok) {
      findings.push({
        code: "CHECKPOINT_SIGNATURE",
        file: "checkpoints.jsonl",
        detail: `a checkpoint in ${release.describe} does not verify: ${read.reason}`,
      });
      continue;
    }
    if (!statesItsNote(note.data!, read.checkpoint, key!)) {
      findings.push({
        code: "CHECKPOINT_LINE_MISMATCH",
        seq: Number(read.checkpoint.treeSize),
        file: "checkpoints.jsonl",
        detail: `the fields of the checkpoint of size ${read.checkpoint.treeSize} differ from its signed note`,
      });
    }
    roots.push({
      treeSize: Number(read.checkpoint.treeSize),
      rootHash: toHex(read.checkpoint.rootHash),
      source: `the checkpoint of size ${read.checkpoint.treeSize}`,
    });
  }
  const manifestKey = keyAt(history, claimedSize(release.manifest.checkpoint.note));
  const manifestNote = verifyCheckpoint(release.manifest.checkpoint.note, manifestKey);
  if (!manifestNote.ok)
    findings.push({
      code: "CHECKPOINT_SIGNATURE",
      file: "manifest.json",
      detail: `the manifest's checkpoint does not verify: ${manifestNote.reason}`,
    });
  else if (!statesItsNote(release.manifest.checkpoint, manifestNote.checkpoint, manifestKey)) {
    findings.push({
      code: "CHECKPOINT_LINE_MISMATCH",
      file: "manifest.json",
      detail: "the manifest's checkpoint fields differ from its signed note",
    });
  }
  return roots;
}

const checkpointLine = z.object({
  note: z.string(),
  origin: z.unknown(),
  treeSize: z.unknown(),
  rootHash: z.unknown(),
  timestamp: z.unknown(),
  keyId: z.unknown(),
});

/** A checkpoint record states what its signed note says, and nothing else (GET /api/log/checkpoint's shape). */
function statesItsNote(record: Record<string, unknown>, checkpoint: CheckpointBody, key: NoteVerifier): boolean {
  return (
    record.origin === checkpoint.origin &&
    record.treeSize === Number(checkpoint.treeSize) &&
    record.rootHash === toHex(checkpoint.rootHash) &&
    record.timestamp === checkpoint.timestamp.toISOString() &&
    record.keyId === toHex(key.keyId)
  );
}

/** The tree size a checkpoint note states (its second line), before its signature is checked: it picks the key to check with. */
function claimedSize(note: string): number {
  const size = Number(note.split("\n", 2)[1]);
  return Number.isSafeInteger(size) ? size : Number.MAX_SAFE_INTEGER;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
