// What an attacker with a copy of a release, but not the log's signing key, can do to it: edit
// any file and make the unsigned manifest state the edited files' SHA-256 and size again;
// rewrite the audit trail with every leaf and chain hash recomputed, so the chain is
// consistent in itself; rewrite the Parquet file with the export's own writer; and sign every
// checkpoint and the statement again with a key of their own, shipped in place of the log's.
// For the tamper suite (tamper.int.test.ts); the verifier must refuse every result.
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { parquetReadObjects } from "hyparquet";
import { canonicalJson } from "@/lib/audit/canonical";
import { GENESIS_CHAIN_HASH, chainHash, fromHex, leafHash, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { parseCheckpointText, signCheckpoint, verifyCheckpoint } from "@/lib/checkpoints/format";
import { noteVerifier, verifierKeyString, type NoteSigner } from "@/lib/checkpoints/note";
import { signReleaseStatement } from "@/lib/checkpoints/release";
import { DATASET_COLUMNS, type Column } from "@/lib/exports/columns";
import { parquet } from "@/lib/exports/parquet";

export type ManifestJson = {
  asOfSeq: number;
  filters: Record<string, string | number>;
  checkpoint: {
    origin: string;
    treeSize: number;
    rootHash: string;
    timestamp: string;
    keyId: string;
    note: string;
    signatureVerified: boolean | null;
  };
  checkpointKey: { file: string; keyName: string; keyId: string; verifierKey: string } | null;
  keyRotations?: string[];
  policies: Record<string, unknown>;
  files: { name: string; path: string; mediaType: string; sha256: string; bytes: number; rows: number | null }[];
  signedRelease: string | null;
};
export type TrailRecord = { seq: number; type: string; body: string; leafHash: string; chainHash: string };
type CheckpointLine = {
  origin: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  note: string;
};

const file = (dir: string, name: string) => path.join(dir, name);
export const readText = (dir: string, name: string) => readFileSync(file(dir, name), "utf8");
export const writeText = (dir: string, name: string, text: string | Uint8Array) => writeFileSync(file(dir, name), text);
/** The non-empty lines of a JSONL file. */
export const linesIn = (dir: string, name: string) => readText(dir, name).split("\n").filter(Boolean);
export const writeLines = (dir: string, name: string, lines: string[]) =>
  writeText(dir, name, lines.map((line) => `${line}\n`).join(""));
export const rowsIn = <T = Record<string, unknown>>(dir: string, name: string) =>
  linesIn(dir, name).map((line) => JSON.parse(line) as T);
const writeRows = (dir: string, name: string, rows: unknown[]) =>
  writeLines(
    dir,
    name,
    rows.map((row) => JSON.stringify(row)),
  );
export const manifestIn = (dir: string) => JSON.parse(readText(dir, "manifest.json")) as ManifestJson;
const writeManifest = (dir: string, manifest: ManifestJson) =>
  writeText(dir, "manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);

export function digestOf(dir: string, name: string): { sha256: string; bytes: number } {
  const bytes = readFileSync(file(dir, name));
  return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.byteLength };
}

/** The unsigned manifest made to state every file's SHA-256 and size as the files now are. */
export function fixManifest(dir: string): void {
  const manifest = manifestIn(dir);
  for (const entry of manifest.files) Object.assign(entry, digestOf(dir, entry.name));
  writeManifest(dir, manifest);
}

export type Row = Record<string, unknown>;
/** An edit of a copy of a release, by the directory it is in. */
export type Edit = (dir: string) => void | Promise<void>;

export const all =
  (...edits: Edit[]): Edit =>
  async (dir) => {
    for (const edit of edits) await edit(dir);
  };
/** Rows of a JSONL file edited: `change` returns the rows to write. */
const rows =
  (name: string, change: (rows: Row[]) => Row[]): Edit =>
  (dir) =>
    writeRows(dir, name, change(rowsIn(dir, name)));
/** One row (the first `where` matches) edited in place. */
export const row = (name: string, where: (row: Row) => boolean, change: (row: Row) => void): Edit =>
  rows(name, (all) => {
    const target = all.find(where);
    if (!target) throw new Error(`no row of ${name} matches`);
    change(target);
    return all;
  });
/** A row added: `make` turns a copy of the first row `where` matches into it. */
export const withRow = (name: string, where: (row: Row) => boolean, make: (row: Row) => Row): Edit =>
  rows(name, (all) => [...all, make(structuredClone(all.find(where)!))]);
export const without = (name: string, where: (row: Row) => boolean): Edit =>
  rows(name, (all) => all.filter((r) => !where(r)));

export const editManifest =
  (change: (manifest: ManifestJson) => void): Edit =>
  (dir) => {
    const manifest = manifestIn(dir);
    change(manifest);
    writeManifest(dir, manifest);
  };
/** policies.json and the manifest's copy of it edited alike, as an attacker keeps them in step. */
export const editPolicies =
  (change: (entries: Record<string, Row>) => Record<string, Row>): Edit =>
  (dir) => {
    const entries = change(JSON.parse(readText(dir, "policies.json")) as Record<string, Row>);
    const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
    writeText(dir, "policies.json", `${JSON.stringify(sorted, null, 2)}\n`);
    writeManifest(dir, { ...manifestIn(dir), policies: sorted });
  };
/** dataset.csv parsed, edited and written again (CRLF, quoted as needed). */
export const editCsv =
  (change: (records: string[][]) => string[][]): Edit =>
  (dir) =>
    writeText(
      dir,
      "dataset.csv",
      stringify(change(parse(readText(dir, "dataset.csv")) as string[][]), { record_delimiter: "\r\n" }),
    );

export const trailIn = (dir: string) => rowsIn<TrailRecord>(dir, "audit.jsonl");

/** One line of audit.jsonl changed as stored, no hash recomputed. */
export const editLine =
  (seq: () => number, change: (record: TrailRecord) => void): Edit =>
  (dir) =>
    writeLines(
      dir,
      "audit.jsonl",
      trailIn(dir).map((r) => (r.seq === seq() && change(r), JSON.stringify(r))),
    );

/** audit.jsonl holding `events`, every leaf and chain hash recomputed from the bodies. */
export function writeTrail(dir: string, events: { seq: number; type: string; body: string }[]): void {
  let previous = GENESIS_CHAIN_HASH;
  const lines = events.map(({ seq, type, body }) => {
    const leaf = leafHash(body);
    previous = chainHash(previous, leaf);
    return JSON.stringify({ seq, type, body, leafHash: toHex(leaf), chainHash: toHex(previous) });
  });
  writeLines(dir, "audit.jsonl", lines);
}

/** The trail rewritten with `edit` applied to the parsed body of every event it returns true for. */
export function editEvents(
  dir: string,
  where: (body: Record<string, unknown>) => boolean,
  edit: (body: Record<string, unknown>) => void,
): number[] {
  const edited: number[] = [];
  const events = trailIn(dir).map((record) => {
    const body = JSON.parse(record.body) as Record<string, unknown>;
    if (!where(body)) return record;
    edit(body);
    edited.push(record.seq);
    return { ...record, body: canonicalJson(body) };
  });
  writeTrail(dir, events);
  return edited;
}

/** The Merkle root of the first `size` events of the trail in `dir`. */
function rootOf(dir: string, size: number): Uint8Array {
  const tree = new TreeBuilder();
  for (const record of trailIn(dir).slice(0, size)) tree.push(fromHex(record.leafHash));
  return tree.root();
}

/** dataset.parquet written again by the export's writer, from its rows as read and then edited. */
export async function rewriteParquet(
  dir: string,
  edit: (rows: Record<string, unknown>[]) => Record<string, unknown>[],
  columns: readonly Column[] = DATASET_COLUMNS,
): Promise<void> {
  const bytes = readFileSync(file(dir, "dataset.parquet"));
  const rows = await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  });
  const encoded = parquet(
    (async function* () {
      yield edit(rows);
    })(),
    columns,
    (row) => row,
  );
  const chunks: Uint8Array[] = [];
  for await (const chunk of encoded.chunks) chunks.push(chunk);
  writeText(dir, "dataset.parquet", Buffer.concat(chunks));
}

/** A signer of the release's own origin with a key that is not the log's. */
export function strangerSigner(origin: string): NoteSigner & { publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { name: origin, privateKey, publicKey };
}

/** The signed statement made again over the manifest's cut, filters and file list, by `signer`. */
export function signStatement(dir: string, signer: NoteSigner): void {
  const manifest = manifestIn(dir);
  const cut = { treeSize: manifest.checkpoint.treeSize, rootHash: manifest.checkpoint.rootHash };
  manifest.signedRelease = signReleaseStatement({ cut, filters: manifest.filters, files: manifest.files }, signer);
  writeManifest(dir, manifest);
}

/**
 * Every checkpoint signed again by `signer` over the roots of the trail as it now is, its key
 * shipped as checkpoint-key.pem, the manifest fixed up and the statement signed: a release
 * whose every signature verifies, with a key that is not the log's.
 */
export function resignRelease(dir: string, signer: NoteSigner & { publicKey: KeyObject }): void {
  const verifier = noteVerifier(signer.name, signer.publicKey);
  const resigned = rowsIn<CheckpointLine>(dir, "checkpoints.jsonl").map((line) => {
    const text = parseCheckpointText(line.note.slice(0, line.note.lastIndexOf("\n\n") + 1));
    if (!text.ok) throw new Error(text.reason);
    const rootHash = rootOf(dir, line.treeSize);
    const { note } = signCheckpoint(
      { treeSize: BigInt(line.treeSize), rootHash, timestamp: text.checkpoint.timestamp },
      signer,
    );
    return { ...line, rootHash: toHex(rootHash), keyId: toHex(verifier.keyId), note };
  });
  writeRows(dir, "checkpoints.jsonl", resigned);
  writeText(dir, "checkpoint-key.pem", signer.publicKey.export({ type: "spki", format: "pem" }));
  fixManifest(dir);
  const manifest = manifestIn(dir);
  const cut = resigned.find((line) => line.treeSize === manifest.asOfSeq)!;
  manifest.checkpoint = {
    ...manifest.checkpoint,
    rootHash: cut.rootHash,
    keyId: cut.keyId,
    note: cut.note,
    signatureVerified: verifyCheckpoint(cut.note, verifier).ok,
  };
  manifest.checkpointKey = {
    file: "checkpoint-key.pem",
    keyName: signer.name,
    keyId: toHex(verifier.keyId),
    verifierKey: verifierKeyString(verifier),
  };
  writeManifest(dir, manifest);
  signStatement(dir, signer);
}
