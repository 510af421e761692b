// The offline verifier: given a release, check that every file is what the manifest says,
// that the audit log's chain is intact, that its Merkle roots match the signed checkpoints
// (and an earlier release's), and that every decision follows from the recorded votes and
// policy. Problems are reported by seq; nothing here needs a database or the network.
import { createHash, createPublicKey } from "node:crypto";
import { fromHex, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { ChainVerifier } from "@/lib/audit/verify";
import { verifyCheckpoint } from "@/lib/checkpoints/format";
import { noteVerifier, type NoteVerifier } from "@/lib/checkpoints/note";
import { DecisionChecker, decisionRecordSchema, type DecisionRecord, type Finding } from "./decisions";
import { UnusableInput, linesOf, textOf, type Release } from "./source";
import { z } from "zod";

export type { Finding };
export type Verification = { findings: Finding[]; events: number; checkpoints: number; decisions: number };
type Root = { treeSize: number; rootHash: string; source: string };

export async function verifyRelease(release: Release, options: { previous?: Release; onProgress?: (done: number, total: number) => void } = {}): Promise<Verification> {
  const findings: Finding[] = [];
  await checkFiles(release, findings);
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
  const decisions = new DecisionChecker(records);
  const chain = new ChainVerifier();
  const tree = new TreeBuilder();
  const total = release.manifest.asOfSeq;
  let next = 0;
  for await (const line of linesOf(release, "audit.jsonl")) {
    const parsed = auditLine.safeParse(safeJson(line));
    if (!parsed.success || !/^[0-9a-f]{64}$/.test(parsed.data.leafHash) || !/^[0-9a-f]{64}$/.test(parsed.data.chainHash)) {
      findings.push({ code: "MALFORMED_LINE", seq: tree.size + 1, file: "audit.jsonl", detail: `the line after seq ${tree.size} is not an audit record` });
      continue;
    }
    const row = parsed.data;
    const { leaf, event } = chain.push({ seq: BigInt(row.seq), type: row.type, body: row.body, leafHash: fromHex(row.leafHash), chainHash: fromHex(row.chainHash) });
    tree.push(leaf);
    if (event) decisions.apply(row.seq, event, leaf);
    while (next < roots.length && roots[next]!.treeSize <= tree.size) {
      const expected = roots[next++]!;
      if (expected.treeSize === tree.size && toHex(tree.root()) !== expected.rootHash) {
        findings.push({ code: "ROOT_MISMATCH", seq: expected.treeSize, detail: `the log's first ${expected.treeSize} events do not have the root signed in ${expected.source}` });
      }
    }
    options.onProgress?.(tree.size, total);
  }
  decisions.finish();
  for (const root of roots.slice(next)) {
    findings.push({ code: "TRAIL_TOO_SHORT", seq: root.treeSize, detail: `${root.source} signs ${root.treeSize} events, but the trail holds only ${tree.size}` });
  }
  if (tree.size !== total) findings.push({ code: "TRAIL_LENGTH", seq: tree.size, detail: `the manifest says the trail ends at seq ${total}; it ends at ${tree.size}` });
  for (const problem of chain.result().problems) findings.push({ code: problem.code, seq: Number(problem.seq), detail: problem.detail });
  findings.push(...decisions.findings);
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { findings, events: tree.size, checkpoints: roots.length, decisions: decisions.checked };
}

/** Every file of the manifest: its SHA-256 and size. */
async function checkFiles(release: Release, findings: Finding[]): Promise<void> {
  for (const file of release.manifest.files) {
    if (!release.has(file.name)) throw new UnusableInput(`${file.name} is missing from ${release.describe}.`);
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of await release.open(file.name)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
    if (hash.digest("hex") !== file.sha256 || bytes !== file.bytes) {
      findings.push({ code: "FILE_MISMATCH", file: file.name, detail: `${file.name} does not have the SHA-256 and size the manifest records` });
    }
  }
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
const auditLine = z.object({ seq: z.number().int(), type: z.string(), body: z.string(), leafHash: z.string(), chainHash: z.string() });

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
