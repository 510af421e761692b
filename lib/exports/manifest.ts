// A release: every download for one set of filters, cut at a signed checkpoint, described by
// a manifest (each file's SHA-256, byte and row counts, the checkpoint, the policies used).
// The same plan serves GET /api/exports/manifest (hashing only) and writeRelease (writing).
import { createHash } from "node:crypto";
import { toHex } from "@/lib/audit/hash";
import type { PublishedKey } from "@/lib/checkpoints/signer";
import { ConfigError } from "@/lib/env";
import { checkpointJson } from "@/lib/checkpoints/api";
import { verifyCheckpoint } from "@/lib/checkpoints/format";
import { parseVerifierKey } from "@/lib/checkpoints/note";
import { RELEASE_FORMAT, signReleaseStatement } from "@/lib/checkpoints/release";
import { configuredSigner } from "@/lib/checkpoints/signer";
import { readKeyRotations } from "@/lib/runtime/checkpoint-key";
import { batchExists, checkpointOfSize, latestCheckpoint, type StoredCheckpoint } from "./data";
import {
  FILES,
  auditFile,
  checkpointsFile,
  keyFile,
  policiesFile,
  policiesMap,
  tableFile,
  type FileName,
  type PolicyEntry,
  type TableFileName,
} from "./files";
import type { Encoded } from "./formats";
import { checkpointPublicKey } from "./key";
import { filterParams, type ExportFilters } from "./schema";

type PlannedFile = { name: FileName; path: string; produce: () => Encoded };

export type ReleasePlan = {
  filters: ExportFilters;
  checkpoint: StoredCheckpoint;
  key: PublishedKey | null;
  policies: Record<string, PolicyEntry>;
  files: PlannedFile[];
};

export type PlanFailure = {
  ok: false;
  reason: "NO_CHECKPOINT" | "UNKNOWN_CHECKPOINT" | "UNKNOWN_BATCH";
  message: string;
};

const TABLES: TableFileName[] = [
  "decisions.jsonl",
  "votes.jsonl",
  "dataset.jsonl",
  "dataset.preference.jsonl",
  "dataset.csv",
  "dataset.parquet",
];

/** What a release holds: the files of `filters` as of a signed checkpoint (default: the latest). */
export async function planRelease(
  filters: ExportFilters,
  treeSize?: number,
): Promise<{ ok: true; plan: ReleasePlan } | PlanFailure> {
  const checkpoint = treeSize === undefined ? await latestCheckpoint() : await checkpointOfSize(BigInt(treeSize));
  if (!checkpoint) {
    return treeSize === undefined
      ? {
          ok: false,
          reason: "NO_CHECKPOINT",
          message: "No checkpoint has been signed yet; a release is cut at a signed checkpoint. Try again in a minute.",
        }
      : {
          ok: false,
          reason: "UNKNOWN_CHECKPOINT",
          message: `No checkpoint has tree size ${treeSize}; see /api/exports/checkpoints.jsonl for the signed sizes.`,
        };
  }
  if (filters.batch && !(await batchExists(filters.batch)))
    return { ok: false, reason: "UNKNOWN_BATCH", message: `No batch has the slug "${filters.batch}".` };

  const cut = checkpoint.treeSize;
  const selection = { filters, cut };
  const tableQuery = filterParams(filters);
  tableQuery.set("asOfSeq", String(cut));
  const path = (name: FileName, query: URLSearchParams | string) =>
    `/api/exports/${name}${String(query) ? `?${query}` : ""}`;
  const policies = await policiesMap(selection);
  const key = publicKeyOrNone();
  const files: PlannedFile[] = [
    { name: "audit.jsonl", path: path("audit.jsonl", `toSeq=${cut}`), produce: () => auditFile(1n, cut) },
    {
      name: "checkpoints.jsonl",
      path: path("checkpoints.jsonl", `toTreeSize=${cut}`),
      produce: () => checkpointsFile(1n, cut),
    },
    ...TABLES.map((name) => ({ name, path: path(name, tableQuery), produce: () => tableFile(name, selection) })),
    { name: "policies.json", path: path("policies.json", tableQuery), produce: () => policiesFile(policies) },
  ];
  if (key)
    files.push({
      name: "checkpoint-key.pem",
      path: path("checkpoint-key.pem", ""),
      produce: () => keyFile(key.publicKeyPem),
    });
  return { ok: true, plan: { filters, checkpoint, key, policies, files } };
}

/** A broken key file must not stop a release: it ships without the key (checkpointKey: null). */
function publicKeyOrNone(): PublishedKey | null {
  try {
    return checkpointPublicKey();
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
}

export type FileEntry = {
  name: FileName;
  path: string;
  mediaType: string;
  sha256: string;
  bytes: number;
  rows: number | null;
};

/** Reads a file through once: SHA-256, bytes and rows, handing each chunk to `sink` on the way. */
export async function digestFile(file: PlannedFile, sink?: (chunk: Uint8Array) => Promise<void>): Promise<FileEntry> {
  const encoded = file.produce();
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of encoded.chunks) {
    hash.update(chunk);
    bytes += chunk.byteLength;
    if (sink) await sink(chunk);
  }
  return {
    name: file.name,
    path: file.path,
    mediaType: FILES[file.name].mediaType,
    sha256: hash.digest("hex"),
    bytes,
    rows: encoded.rows(),
  };
}

export function manifestOf(plan: ReleasePlan, files: FileEntry[], generatedAt = new Date()) {
  const { checkpoint, key } = plan;
  const verifier = key ? parseVerifierKey(key.verifierKey) : null;
  const cut = { treeSize: Number(checkpoint.treeSize), rootHash: toHex(checkpoint.rootHash) };
  return {
    format: RELEASE_FORMAT,
    generatedAt: generatedAt.toISOString(),
    filters: plan.filters,
    /** Every file describes the log up to this seq: the checkpoint's tree size. */
    asOfSeq: Number(checkpoint.treeSize),
    checkpoint: {
      ...checkpointJson(checkpoint),
      /** Checked against checkpointKey when the release was made (null: no key to check with). */
      signatureVerified: verifier ? verifyCheckpoint(checkpoint.note, verifier).ok : null,
    },
    checkpointKey: key
      ? { file: "checkpoint-key.pem", keyName: key.keyName, keyId: key.keyId, verifierKey: key.verifierKey }
      : null,
    /** Signed notes by which each earlier key handed the log over to the next (npm run key:rotate), oldest first. */
    keyRotations: key ? readKeyRotations() : [],
    policies: plan.policies,
    files,
    /**
     * The release's signed statement (lib/checkpoints/release.ts): the cut, the filters and
     * every file's name, SHA-256, bytes and rows, signed with the log's key. The fields above
     * are there to read; a verifier trusts only what this note signs.
     */
    signedRelease: key ? signReleaseStatement({ cut, filters: plan.filters, files }, configuredSigner()) : null,
    semantics: [
      "audit.jsonl holds events 1…asOfSeq; body is the stored canonical JSON text, leafHash = SHA-256(0x00 ‖ body).",
      "checkpoints.jsonl holds the signed checkpoints up to asOfSeq; the last is `checkpoint`.",
      "A final label is one whose decision.finalized event is at or before asOfSeq with no decision.reopened event by then.",
      "votes.jsonl holds each rater's latest vote at or before asOfSeq; rater_id is the user's UUID, never an email or name.",
      "dataset.preference.jsonl holds pairwise datapoints whose final label is A or B; TIE and BOTH_BAD stay in dataset.jsonl/.csv/.parquet. Without context prompt, chosen and rejected are strings (TRL standard format); with context they are TRL conversational messages: prompt = the context's turns (a line starting `User: ` or `Assistant: ` starts one; a context not starting with one is one user message) then the prompt as a user message, chosen/rejected = one assistant message each; metadata.context is verbatim.",
    ],
  };
}

export type Manifest = ReturnType<typeof manifestOf>;

/** The manifest of a release without writing it anywhere: every file is produced and hashed. */
export async function buildManifest(plan: ReleasePlan): Promise<Manifest> {
  const entries: FileEntry[] = [];
  for (const file of plan.files) entries.push(await digestFile(file));
  return manifestOf(plan, entries);
}
