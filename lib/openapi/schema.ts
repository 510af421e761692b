// The JSON bodies the public API answers with, as zod schemas, for the OpenAPI document only:
// the handlers build these objects in TypeScript, and schema.test.ts holds the handlers'
// types to these schemas, so a changed body fails the typecheck instead of drifting from
// its documentation. Request parameters are not here: they come from each feature's schema.ts.
import { z } from "zod";
import { FILES, type FileName } from "@/lib/exports/formats";
import { STATUSES } from "@/lib/exports/schema";
import { sha256Hex } from "@/lib/domain/schema";

const sha256 = sha256Hex().describe("SHA-256, lowercase hex.");
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const problem = z
  .looseObject({
    type: z.string().describe("`about:blank`: the status says what kind of problem it is."),
    title: z.string().describe("The status's reason phrase."),
    status: z.number().int(),
    detail: z.string().describe("One sentence for the person making the request: what was wrong and what to do."),
  })
  .describe("RFC 9457 problem details.");

const checkpointFields = {
  origin: z.string().describe("The log's name, the first line of the signed note."),
  treeSize: count.describe("Events covered: seq 1 … treeSize."),
  rootHash: sha256.describe("RFC 9162 Merkle tree head, lowercase hex."),
  timestamp: z.iso.datetime().describe("When the checkpoint was signed."),
  keyId: z
    .string()
    .regex(/^[0-9a-f]{8}$/)
    .describe("The signing key's id (c2sp.org/signed-note), hex."),
  note: z
    .string()
    .describe(
      "The signed checkpoint text (c2sp.org/tlog-checkpoint) with its signature line; verify this, not the other fields.",
    ),
};

export const checkpoint = z.object(checkpointFields).describe("A signed checkpoint (tree head) of the audit log.");

const inclusionProof = z
  .object({
    seq: count,
    leafIndex: count.describe("seq − 1."),
    treeSize: count,
    leafHash: sha256.describe("SHA-256(0x00 ‖ body) of the event."),
    rootHash: sha256,
    proof: z.array(sha256).describe("RFC 9162 §2.1.3 audit path, leaf to root."),
  })
  .describe("Proof that event `seq` is in the tree of the signed checkpoint of size `treeSize`.");

const consistencyProof = z
  .object({
    first: count,
    second: count,
    firstRootHash: sha256,
    secondRootHash: sha256,
    proof: z.array(sha256).describe("RFC 9162 §2.1.4 consistency proof."),
  })
  .describe("Proof that the tree of size `second` extends the tree of size `first`.");

export const auditEntry = z
  .object({
    seq: count,
    type: z.string().describe("The event type, e.g. `vote.cast`."),
    body: z.string().describe("The stored RFC 8785 canonical JSON, byte for byte, as a string."),
    leafHash: sha256,
    chainHash: sha256,
  })
  .describe("One audit event as stored.");

const entries = z
  .object({
    from: count,
    to: count.describe("The last seq returned (a range may be cut short)."),
    entries: z.array(auditEntry),
  })
  .describe("Audit events from … to, inclusive.");

export const publishedKey = z
  .object({
    origin: z.string(),
    keyName: z.string(),
    keyId: z.string(),
    algorithm: z.literal("Ed25519"),
    verifierKey: z.string().describe("The C2SP verifier key string (name+keyid+base64 key)."),
    fingerprint: z
      .string()
      .describe("SHA-256 of the raw public key, hex in groups of four: what `npm run verify` prints."),
    publicKey: z.string().describe("Raw Ed25519 public key, base64."),
    publicKeyPem: z.string().describe("SPKI PEM."),
    checkpointFormat: z.string(),
  })
  .describe("The key that signs checkpoints.");

const policyEntry = z.object({
  name: z.string(),
  version: z.number().int(),
  kind: z.string(),
  document: z.string().describe("The stored canonical JSON text: its SHA-256 is the key it is filed under."),
});

export const policies = z.record(sha256, policyEntry).describe("Voting policy documents by content hash.");

const fileNames = Object.keys(FILES) as [FileName, ...FileName[]];

export const manifest = z
  .object({
    format: z.string().describe("`plenary-release/1`."),
    generatedAt: z.iso.datetime(),
    filters: z.object({
      batch: z.string().optional(),
      status: z.enum(STATUSES),
      minAgreement: z.number().optional(),
      minMargin: z.number().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
    }),
    asOfSeq: count.describe("Every file describes the log up to this seq: the checkpoint's tree size."),
    checkpoint: z.object({ ...checkpointFields, signatureVerified: z.boolean().nullable() }),
    checkpointKey: z
      .object({ file: z.string(), keyName: z.string(), keyId: z.string(), verifierKey: z.string() })
      .nullable(),
    policies,
    files: z.array(
      z.object({
        name: z.enum(fileNames),
        path: z.string().describe("Where to download exactly these bytes."),
        mediaType: z.string(),
        sha256: sha256,
        bytes: count,
        rows: count.nullable(),
      }),
    ),
    semantics: z.array(z.string()),
    signedRelease: z
      .string()
      .nullable()
      .describe(
        "C2SP signed note, signed with the log's key, whose text is `plenary-release/1`, the origin, and the RFC 8785 JSON of " +
          "{cut: {treeSize, rootHash}, filters, files: [{name, sha256, bytes, rows}]}: what a verifier trusts (null: no key to sign with).",
      ),
  })
  .describe(
    "A release: every download for the filters, cut at one signed checkpoint, with SHA-256s and the signed statement of them.",
  );

export const health = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    database: z.object({ ok: z.boolean(), auditSeq: z.string().optional(), message: z.string().optional() }),
  })
  .describe("Liveness and database reachability.");

export const vote = z
  .object({
    voteId: z.string().describe("The vote's id (UUID)."),
    changed: z.boolean().describe("The user had voted differently before and this changed it."),
    duplicate: z.boolean().describe("A retry of a request already recorded: nothing changed."),
  })
  .describe("The outcome of casting a vote.");

/** Every schema above, under the name it has in the document's components. */
export const RESPONSE_SCHEMAS = {
  Problem: problem,
  Checkpoint: checkpoint,
  InclusionProof: inclusionProof,
  ConsistencyProof: consistencyProof,
  AuditEntry: auditEntry,
  Entries: entries,
  PublishedKey: publishedKey,
  Policies: policies,
  Manifest: manifest,
  Health: health,
  Vote: vote,
} as const;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
