// The signed statement of a release: what a release claims, signed with the log's own key as a
// C2SP signed note, so a verifier refuses a release whose file list, filters or cut were
// changed after it was made. Pure (node:crypto only), reused by the offline verifier.
//
// The note's text is three lines:
//   plenary-release/1
//   <origin>
//   <RFC 8785 canonical JSON of { cut, filters, files }>
// A checkpoint's first line is the origin, so neither kind of note can pass for the other
// (the origin may not be the format line itself: see signReleaseStatement).
import { canonicalJson } from "@/lib/audit/canonical";
import { openNote, signNote, type NoteSigner, type NoteVerifier } from "./note";
import { z } from "zod";
import { sha256Hex } from "@/lib/domain/schema";

export const RELEASE_FORMAT = "plenary-release/1";

const hex64 = sha256Hex();

const releaseFileSchema = z.strictObject({
  name: z.string().min(1),
  sha256: hex64,
  bytes: z.int().min(0),
  rows: z.int().min(0).nullable(),
});

const statementBody = z.strictObject({
  /** The signed checkpoint the release is cut at: the trail holds exactly its events. */
  cut: z.strictObject({ treeSize: z.int().min(0), rootHash: hex64 }),
  /** The filters that chose the datapoints, as the export applied them. */
  filters: z.record(z.string(), z.union([z.string(), z.number()])),
  files: z.array(releaseFileSchema),
});

export type ReleaseStatement = z.infer<typeof statementBody> & { origin: string };
export type OpenedStatement = { ok: true; statement: ReleaseStatement } | { ok: false; reason: string };

function releaseText({ origin, cut, filters, files }: ReleaseStatement): string {
  const body = { cut, filters, files: files.map(({ name, sha256, bytes, rows }) => ({ name, sha256, bytes, rows })) };
  return `${RELEASE_FORMAT}\n${origin}\n${canonicalJson(body)}\n`;
}

/** Signs a release statement with the log's key (whose name is the origin). */
export function signReleaseStatement(statement: Omit<ReleaseStatement, "origin">, signer: NoteSigner): string {
  if (signer.name === RELEASE_FORMAT) throw new TypeError(`the log's origin must not be "${RELEASE_FORMAT}"`);
  return signNote(releaseText({ ...statement, origin: signer.name }), signer).note;
}

/** Opens a signed release statement with a trusted key; the statement must name the key's log. */
export function openReleaseStatement(note: string, verifier: NoteVerifier): OpenedStatement {
  const opened = openNote(note, verifier);
  if (!opened.ok) return opened;
  const lines = opened.text.split("\n");
  if (lines.length !== 4 || lines[0] !== RELEASE_FORMAT || lines[3] !== "")
    return { ok: false, reason: `the signed note is not a ${RELEASE_FORMAT} statement` };
  if (lines[1] !== verifier.name)
    return { ok: false, reason: `the statement is for ${lines[1]}, not ${verifier.name}` };
  let json: unknown;
  try {
    json = JSON.parse(lines[2]!);
  } catch {
    return { ok: false, reason: "the statement's body is not JSON" };
  }
  const parsed = statementBody.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `the statement's body is malformed (${parsed.error.issues[0]?.path.join(".")})` };
  return { ok: true, statement: { ...parsed.data, origin: lines[1]! } };
}
