// The offline verifier: given a release, check that every file is what the manifest says,
// that the audit log's chain is intact, that its Merkle roots match the signed checkpoints
// (and an earlier release's), and that every decision follows from the recorded votes and
// policy. Problems are reported by seq; nothing here needs a database or the network.
// The trail's lines are checked in worker threads (trail.ts, trail-lines.ts); everything that
// depends on the order of events stays in this thread, so findings do not depend on timing.
import { createHash, createPublicKey } from "node:crypto";
import { availableParallelism } from "node:os";
import { toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { ChainVerifier, type EventProblem } from "@/lib/audit/verify";
import { verifyCheckpoint } from "@/lib/checkpoints/format";
import { noteVerifier, type NoteVerifier } from "@/lib/checkpoints/note";
import { DecisionChecker, decisionRecordSchema, readsHistory, type DecisionRecord, type Finding } from "./decisions";
import { finalizedDatapoints } from "./prescan";
import { UnusableInput, linesOf, textOf, type Release } from "./source";
import { LineCheckers, auditChunks } from "./trail";
import { AUDIT_RECORD, CHAINED, CHAIN_UNCHECKED, HASH_BYTES, PAIR, VALID_EVENT } from "./trail-lines";
import { z } from "zod";

export type { Finding };
export type Verification = { findings: Finding[]; events: number; checkpoints: number; decisions: number };
type Root = { treeSize: number; rootHash: string; source: string };

export type VerifyOptions = {
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
  const checkers = new LineCheckers(options.workers ?? (auditBytes >= PARALLEL_FROM_BYTES ? Math.max(1, availableParallelism() - 1) : 0), options.waitForWorkers);
  try {
    return await verifyWith(release, options, checkers);
  } finally {
    await checkers.close();
  }
}

async function verifyWith(release: Release, options: VerifyOptions, checkers: LineCheckers): Promise<Verification> {
  const findings: Finding[] = [];
  // audit.jsonl's SHA-256 is taken while the trail is read for its checks, not in a pass of its own.
  const digests = await digestFiles(release, TRAIL);
  const verifier = await keyOf(release);
  const roots = await signedRoots(release, verifier, findings);
  if (options.previous) {
    const previous = options.previous;
    const earlier = await signedRoots(previous, await keyOf(previous), findings);
    const last = earlier.at(-1);
    if (last) roots.push({ ...last, source: `the earlier release ${previous.describe}` });
  }
  roots.sort((a, b) => a.treeSize - b.treeSize);

  const records: DecisionRecord[] = [];
  for await (const line of linesOf(release, "decisions.jsonl")) records.push(parse(decisionRecordSchema, line, "decisions.jsonl"));
  const history = readsHistory(records) ? await finalizedDatapoints(release, options.chunkBytes ?? CHUNK_BYTES) : [];
  const trailDigest = createHash("sha256");
  let trailBytes = 0;
  let trail = await checkTrail(release, roots, new DecisionChecker(records, history), checkers, options, (bytes) => {
    trailDigest.update(bytes);
    trailBytes += bytes.byteLength;
  });
  digests.set(TRAIL, { sha256: trailDigest.digest("hex"), bytes: trailBytes });
  if (trail.decisions.incomplete) {
    // A reliability tally read votes the scan did not foresee: replay keeping every datapoint
    // the log finalized, which is all a history can read.
    trail = await checkTrail(release, roots, new DecisionChecker(records, [...trail.decisions.kept, ...trail.decisions.finalizedDatapoints]), checkers, options);
  }
  const { chain, decisions, size } = trail;
  findings.unshift(...fileFindings(release, digests));
  findings.push(...trail.findings);
  for (const root of trail.unreached) {
    findings.push({ code: "TRAIL_TOO_SHORT", seq: root.treeSize, detail: `${root.source} signs ${root.treeSize} events, but the trail holds only ${size}` });
  }
  const total = release.manifest.asOfSeq;
  if (size !== total) findings.push({ code: "TRAIL_LENGTH", seq: size, detail: `the manifest says the trail ends at seq ${total}; it ends at ${size}` });
  for (const problem of chain.problems) findings.push({ code: problem.code, seq: Number(problem.seq), detail: problem.detail });
  findings.push(...decisions.findings);
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { findings, events: size, checkpoints: roots.length, decisions: decisions.checked };
}

/**
 * One pass over audit.jsonl: lines checked by the checkers, then, in file order, the seq and
 * chain (ChainVerifier), the Merkle tree against the signed roots, and the decision replay.
 */
async function checkTrail(release: Release, roots: Root[], decisions: DecisionChecker, checkers: LineCheckers, options: VerifyOptions, onBytes?: (bytes: Uint8Array) => void) {
  const findings: Finding[] = [];
  const chain = new ChainVerifier();
  const tree = new TreeBuilder();
  const total = release.manifest.asOfSeq;
  let next = 0;
  checkers.keep(decisions.kept);
  for await (const report of checkers.check(auditChunks(release, options.chunkBytes ?? CHUNK_BYTES, onBytes))) {
    let problem = 0;
    let replayed = 0;
    for (let line = 0; line < report.lines; line++) {
      const flags = report.flags[line]!;
      if (!(flags & AUDIT_RECORD)) {
        findings.push({ code: "MALFORMED_LINE", seq: tree.size + 1, file: "audit.jsonl", detail: `the line after seq ${tree.size} is not an audit record` });
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
      chain.pushChecked(BigInt(seq), stored, leaf, problems, flags & CHAIN_UNCHECKED ? undefined : (flags & CHAINED) !== 0);
      tree.push(leaf);
      if (flags & VALID_EVENT) {
        const event = report.events[replayed];
        if (event?.line === line) {
          replayed++;
          decisions.apply(seq, event.event, leaf);
        } else {
          decisions.pass(seq);
        }
      }
      while (next < roots.length && roots[next]!.treeSize <= tree.size) {
        const expected = roots[next++]!;
        if (expected.treeSize === tree.size && toHex(tree.root()) !== expected.rootHash) {
          findings.push({ code: "ROOT_MISMATCH", seq: expected.treeSize, detail: `the log's first ${expected.treeSize} events do not have the root signed in ${expected.source}` });
        }
      }
    }
    options.onProgress?.(tree.size, total);
  }
  decisions.finish();
  return { findings, chain: chain.result(), decisions, size: tree.size, unreached: roots.slice(next) };
}

const NO_PROBLEMS: readonly EventProblem[] = [];

type Digest = { sha256: string; bytes: number };

/** SHA-256 and size of every file of the manifest but `later` (whose digest is taken elsewhere). */
async function digestFiles(release: Release, later: string): Promise<Map<string, Digest>> {
  for (const file of release.manifest.files) {
    if (!release.has(file.name)) throw new UnusableInput(`${file.name} is missing from ${release.describe}.`);
  }
  const digests = new Map<string, Digest>();
  for (const file of release.manifest.files) {
    if (file.name === later || digests.has(file.name)) continue;
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

/** Files that do not have the SHA-256 and size the manifest records, in the manifest's order. */
function fileFindings(release: Release, digests: Map<string, Digest>): Finding[] {
  return release.manifest.files
    .filter((file) => digests.get(file.name)?.sha256 !== file.sha256 || digests.get(file.name)?.bytes !== file.bytes)
    .map((file) => ({ code: "FILE_MISMATCH", file: file.name, detail: `${file.name} does not have the SHA-256 and size the manifest records` }));
}

async function keyOf(release: Release): Promise<NoteVerifier> {
  const key = release.manifest.checkpointKey;
  if (!key) throw new UnusableInput(`${release.describe} carries no checkpoint key, so its checkpoints cannot be checked.`);
  try {
    return noteVerifier(key.keyName, createPublicKey(await textOf(release, key.file)));
  } catch (error) {
    if (error instanceof UnusableInput) throw error;
    throw new UnusableInput(`${key.file} in ${release.describe} is not a usable public key (${(error as Error).message}).`);
  }
}

/** The checkpoints of a release whose signatures verify with its key; others are findings. */
async function signedRoots(release: Release, verifier: NoteVerifier, findings: Finding[]): Promise<Root[]> {
  const roots: Root[] = [];
  for await (const line of linesOf(release, "checkpoints.jsonl")) {
    const { note } = parse(checkpointLine, line, "checkpoints.jsonl");
    const read = verifyCheckpoint(note, verifier);
    if (!read.ok) {
      findings.push({ code: "CHECKPOINT_SIGNATURE", file: "checkpoints.jsonl", detail: `a checkpoint in ${release.describe} does not verify: ${read.reason}` });
      continue;
    }
    roots.push({ treeSize: Number(read.checkpoint.treeSize), rootHash: toHex(read.checkpoint.rootHash), source: `the checkpoint of size ${read.checkpoint.treeSize}` });
  }
  const manifestNote = verifyCheckpoint(release.manifest.checkpoint.note, verifier);
  if (!manifestNote.ok) findings.push({ code: "CHECKPOINT_SIGNATURE", file: "manifest.json", detail: `the manifest's checkpoint does not verify: ${manifestNote.reason}` });
  return roots;
}

const checkpointLine = z.object({ note: z.string() });

function parse<T>(schema: z.ZodType<T>, line: string, file: string): T {
  const parsed = schema.safeParse(safeJson(line));
  if (!parsed.success) throw new UnusableInput(`${file} has a line that is not a record of its kind: ${line.slice(0, 80)}`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
