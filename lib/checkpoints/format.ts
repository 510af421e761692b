// Checkpoint text (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash, then one
// extension line, `timestamp <milliseconds since the Unix epoch>`, for the signing time the
// log promises (RFC 6962 tree heads carry the same number). The signature covers every line.
import { HASH_BYTES } from "@/lib/audit/hash";
import { openNote, signNote, strictBase64, type NoteSigner, type NoteVerifier, type SignedNote } from "./note";

export type CheckpointBody = { origin: string; treeSize: bigint; rootHash: Uint8Array; timestamp: Date };
export type ReadCheckpoint = { ok: true; checkpoint: CheckpointBody } | { ok: false; reason: string };

const TIMESTAMP = /^timestamp (0|[1-9][0-9]{0,15})$/;

export function checkpointText({ origin, treeSize, rootHash, timestamp }: CheckpointBody): string {
  if (rootHash.length !== HASH_BYTES) throw new TypeError(`a root hash has ${HASH_BYTES} bytes`);
  const root = Buffer.from(rootHash).toString("base64");
  return `${origin}\n${treeSize}\n${root}\ntimestamp ${timestamp.getTime()}\n`;
}

export function parseCheckpointText(text: string): ReadCheckpoint {
  const fail = (reason: string): ReadCheckpoint => ({ ok: false, reason });
  const lines = text.split("\n");
  if (lines.pop() !== "" || lines.length < 3)
    return fail("a checkpoint has an origin, a tree size and a root hash, each on its own line");
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin) return fail("the origin line is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(size)) return fail(`"${size.slice(0, 40)}" is not a tree size`);
  const rootHash = strictBase64(root);
  if (!rootHash || rootHash.length !== HASH_BYTES) return fail("the root hash is not 32 bytes of base64");
  if (extensions.some((line) => line === "")) return fail("extension lines must not be empty");
  const stamps = extensions.filter((line) => line.startsWith("timestamp "));
  const stamp = stamps.length === 1 ? TIMESTAMP.exec(stamps[0]!) : null;
  if (!stamp) return fail("a Plenary checkpoint has exactly one `timestamp <milliseconds>` line");
  const timestamp = new Date(Number(stamp[1]));
  if (Number.isNaN(timestamp.getTime())) return fail("the timestamp is out of range");
  return { ok: true, checkpoint: { origin, treeSize: BigInt(size), rootHash, timestamp } };
}

/** The log's key name is its origin, as the checkpoint spec recommends. */
export function signCheckpoint(body: Omit<CheckpointBody, "origin">, signer: NoteSigner): SignedNote {
  return signNote(checkpointText({ ...body, origin: signer.name }), signer);
}

/** Opens a signed checkpoint with a trusted key and checks it names the expected log. */
export function verifyCheckpoint(note: string, verifier: NoteVerifier, origin = verifier.name): ReadCheckpoint {
  const opened = openNote(note, verifier);
  if (!opened.ok) return opened;
  const parsed = parseCheckpointText(opened.text);
  if (parsed.ok && parsed.checkpoint.origin !== origin)
    return { ok: false, reason: `the checkpoint is for ${parsed.checkpoint.origin}, not ${origin}` };
  return parsed;
}
