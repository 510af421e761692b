// Key rotation: the log's old key signs a statement naming its successor and the last tree size
// it signed, so a verifier that trusts the old key (an earlier release, a pinned key) can trust
// the new one, and checks each checkpoint with the key that was the log's at its size. Pure.
//
// The note's text (C2SP signed note, signed by the old key, whose name is the origin):
//   plenary-key-rotation/1
//   <origin>
//   <old verifier key>
//   <new verifier key>
//   <last tree size the old key signed>
import { openNote, parseVerifierKey, signNote, verifierKeyString, type NoteSigner, type NoteVerifier } from "./note";
import { equalBytes } from "@/lib/audit/hash";

const ROTATION_FORMAT = "plenary-key-rotation/1";

type KeyRotation = { origin: string; from: NoteVerifier; to: NoteVerifier; lastTreeSize: number };
export type OpenedRotation = { ok: true; rotation: KeyRotation } | { ok: false; reason: string };

export function signKeyRotation(
  oldSigner: NoteSigner,
  from: NoteVerifier,
  to: NoteVerifier,
  lastTreeSize: number,
): string {
  if (!Number.isSafeInteger(lastTreeSize) || lastTreeSize < 0)
    throw new RangeError("the last tree size is a whole number");
  const text = `${ROTATION_FORMAT}\n${oldSigner.name}\n${verifierKeyString(from)}\n${verifierKeyString(to)}\n${lastTreeSize}\n`;
  return signNote(text, oldSigner).note;
}

/** Reads a rotation note, checked with the old key it names itself (the caller decides whether that key is trusted). */
export function openKeyRotation(note: string): OpenedRotation {
  const fail = (reason: string): OpenedRotation => ({ ok: false, reason });
  const gap = typeof note === "string" ? note.lastIndexOf("\n\n") : -1;
  if (gap < 0) return fail("not a signed note");
  const lines = note.slice(0, gap).split("\n");
  if (lines.length !== 5 || lines[0] !== ROTATION_FORMAT) return fail(`not a ${ROTATION_FORMAT} statement`);
  const [, origin, fromText, toText, size] = lines as [string, string, string, string, string];
  const from = parseVerifierKey(fromText);
  const to = parseVerifierKey(toText);
  if (!from || !to || from.name !== origin || to.name !== origin)
    return fail("the statement's keys are not verifier keys of its log");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size)) return fail("the last tree size is not a number");
  if (equalBytes(from.publicKey, to.publicKey)) return fail("a rotation names two different keys");
  const opened = openNote(note, from);
  if (!opened.ok) return fail(opened.reason);
  return { ok: true, rotation: { origin, from, to, lastTreeSize: Number(size) } };
}

/**
 * The log's keys over time, from rotation notes in order, ending at `current`: each note signed
 * by the key before it. The key for a checkpoint of tree size n is the first whose last size is
 * at least n; past every rotation, `current`.
 */
export type KeyHistory = { keys: { verifier: NoteVerifier; lastTreeSize: number }[]; current: NoteVerifier };

export function keyHistory(
  notes: readonly string[],
  current: NoteVerifier,
): { ok: true; history: KeyHistory } | { ok: false; reason: string } {
  const keys: KeyHistory["keys"] = [];
  let expected: NoteVerifier | null = null;
  for (const note of notes) {
    const opened = openKeyRotation(note);
    if (!opened.ok) return opened;
    const { from, to, lastTreeSize } = opened.rotation;
    if (expected && !equalBytes(expected.publicKey, from.publicKey))
      return { ok: false, reason: "a rotation is not signed by the key the one before it named" };
    if (keys.length && lastTreeSize < keys.at(-1)!.lastTreeSize)
      return { ok: false, reason: "rotations are not in order of tree size" };
    keys.push({ verifier: from, lastTreeSize });
    expected = to;
  }
  if (expected && !equalBytes(expected.publicKey, current.publicKey))
    return { ok: false, reason: "the last rotation does not name the key the release is checked with" };
  return { ok: true, history: { keys, current } };
}

export function keyAt(history: KeyHistory, treeSize: number): NoteVerifier {
  return history.keys.find((key) => treeSize <= key.lastTreeSize)?.verifier ?? history.current;
}

/** Whether `key` was the log's key at some point of the history. */
export function inHistory(history: KeyHistory, key: NoteVerifier): boolean {
  return [...history.keys.map((k) => k.verifier), history.current].some(
    (k) => equalBytes(k.publicKey, key.publicKey) && k.name === key.name,
  );
}
