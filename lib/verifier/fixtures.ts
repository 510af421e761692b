// Releases for the verifier's unit tests, made without a database: an audit trail written as
// appendEvent writes it (canonical bodies, leaf and chain hashes), checkpoints signed with a
// throwaway key, decision records whose tallies come from replaying the same events, every
// derived file written by the export's own row and file encoders from what the story appended
// (not from the verifier's replay), and a manifest with its signed statement. The story: voters build a track record on datapoints of an equal-policy batch
// whose labels are finalized, then a datapoint under the reliability policy is decided.
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { canonicalJson } from "@/lib/audit/canonical";
import type { AuditEvent } from "@/lib/audit/events";
import { GENESIS_CHAIN_HASH, chainHash, leafHash, sha256Hex, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { signCheckpoint } from "@/lib/checkpoints/format";
import { noteVerifier } from "@/lib/checkpoints/note";
import { signReleaseStatement } from "@/lib/checkpoints/release";
import { signKeyRotation } from "@/lib/checkpoints/rotation";
import { PAIRWISE_LABEL_OPTIONS } from "@/lib/datapoints/rules";
import { voteDigest } from "@/lib/decisions/rules";
import { DATASET_COLUMNS } from "@/lib/exports/columns";
import { csv, jsonl, type Encoded } from "@/lib/exports/formats";
import { parquet } from "@/lib/exports/parquet";
import { decisionRow, voteRow } from "@/lib/exports/records";
import { datasetRow, preferencePair, type DatasetRecord } from "@/lib/exports/rules";
import { policyDocumentSchema } from "@/lib/voting-policies/schema";
import { TallyFacts } from "@/lib/tally/from-log";
import { tallyDatapoint } from "@/lib/tally/tally";
import type { ReleasedDecision } from "./decisions";

const TEST_ORIGIN = "plenary.verifier-test/log";
const OPTIONS = ["A", "B", "TIE", "BOTH_BAD"];
const START = Date.parse("2026-01-01T00:00:00.000Z");

export type StoryOptions = {
  voters?: number;
  /** Finalized datapoints of the equal-policy batch: the reliability policy's history. */
  history?: number;
  /** Characters added to every pseudonym, to make a trail of a given size. */
  padding?: number;
  /** Also record the history's decisions in decisions.jsonl (as an unfiltered release does). */
  recordHistory?: boolean;
};

/** A deterministic version-4 UUID. */
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

type Content = {
  category: string;
  title: string;
  prompt: string;
  context: null;
  responses: { id: string; text: string }[];
  labelOptions: unknown;
};

export class SyntheticLog {
  readonly events: { seq: number; type: string; body: string; leaf: Uint8Array; chain: Uint8Array }[] = [];
  readonly records: ReleasedDecision[] = [];
  /** What the derived files state, kept as the story appends it. */
  readonly published = new Map<
    string,
    { seq: number; slug: string; externalId: string; contentHash: string; content: Content }
  >();
  readonly pseudonyms = new Map<string, string>();
  readonly latest = new Map<string, Extract<AuditEvent, { type: "vote.cast" | "vote.changed" }> & { seq: number }>();
  readonly decided: {
    datapointId: string;
    decisionId: string;
    seq: number;
    at: string;
    moderator: string;
    tally: string;
    lastSeq: number;
    digest: string;
    recorded: boolean;
  }[] = [];
  readonly policyEntries = new Map<string, { name: string; version: number; kind: string; document: string }>();
  /** The batch of the last datapoint decided: a release without the history's records holds only it. */
  lastBatch = "";
  private readonly facts = new TallyFacts();
  private readonly votes = new Map<string, Map<string, { seq: bigint; leafHash: Uint8Array }>>();
  private previous = GENESIS_CHAIN_HASH;
  private ids = 0;

  /** Appends an event as appendEvent does; returns its seq. */
  append(event: AuditEvent): number {
    const seq = this.events.length + 1;
    const body = canonicalJson(event);
    const leaf = leafHash(body);
    this.previous = chainHash(this.previous, leaf);
    this.events.push({ seq, type: event.type, body, leaf, chain: this.previous });
    this.facts.apply(event);
    if (event.type === "vote.cast" || event.type === "vote.changed") {
      const voters = this.votes.get(event.datapointId) ?? new Map();
      voters.set(event.actorId, { seq: BigInt(seq), leafHash: leaf });
      this.votes.set(event.datapointId, voters);
      this.latest.set(`${event.datapointId} ${event.actorId}`, { ...event, seq });
    }
    if (event.type === "user.created") this.pseudonyms.set(event.userId, event.pseudonym);
    if (event.type === "policy.published") {
      this.policyEntries.set(event.contentHash, {
        name: event.name,
        version: event.version,
        kind: String(event.document.kind).toUpperCase().replace("-", "_"),
        document: canonicalJson(event.document),
      });
    }
    return seq;
  }

  id(): string {
    return uuid(++this.ids);
  }

  at(): string {
    return new Date(START + this.events.length * 1000).toISOString();
  }

  /** Finalizes the tally's outcome as a moderator would, with its decision record. */
  decide(datapointId: string, moderator: string, record: boolean): void {
    const at = this.at();
    const input = this.facts.inputFor(datapointId, at);
    const tally = canonicalJson(tallyDatapoint(input));
    const outcome = (JSON.parse(tally) as { outcome: { kind: string; option?: string } }).outcome;
    if (outcome.kind !== "decided" || !outcome.option)
      throw new Error(`the story's tally of ${datapointId} is not decided`);
    const lastSeq = this.events.length;
    const digest = voteDigest([...(this.votes.get(datapointId)?.values() ?? [])]);
    const decisionId = this.id();
    const finalizedSeq = this.append({
      type: "decision.finalized",
      at,
      actorId: moderator,
      decisionId,
      datapointId,
      label: outcome.option,
      policyHash: input.policyHash,
      tallyHash: sha256Hex(tally),
      lastSeq,
      voteDigest: digest,
      isOverride: false,
      overrideReason: null,
      rationaleHash: sha256Hex(decisionId),
      confirmedById: null,
    });
    this.decided.push({
      datapointId,
      decisionId,
      seq: finalizedSeq,
      at,
      moderator,
      tally,
      lastSeq,
      digest,
      recorded: record,
    });
    this.lastBatch = this.published.get(datapointId)?.slug ?? "";
    if (record) {
      this.records.push({
        decision_id: decisionId,
        datapoint_id: datapointId,
        label: outcome.option,
        is_override: false,
        policy_hash: input.policyHash,
        last_seq: lastSeq,
        vote_digest: digest,
        tally,
        recorded_seq: null,
        finalized_seq: finalizedSeq,
      });
    }
  }
}

function policy(file: string) {
  const document = policyDocumentSchema.parse(
    JSON.parse(readFileSync(path.join("prisma/seed/policies", file), "utf8")),
  );
  return { document, contentHash: sha256Hex(canonicalJson(document)) };
}

/** The story above, as a log. */
export function reliabilityStory({
  voters = 12,
  history = 4,
  padding = 0,
  recordHistory = false,
}: StoryOptions = {}): SyntheticLog {
  const log = new SyntheticLog();
  const equal = policy("equal-v1.json");
  const reliability = policy("reliability-v1.json");
  for (const { document, contentHash } of [equal, reliability]) {
    log.append({
      type: "policy.published",
      at: log.at(),
      actorId: null,
      policyId: log.id(),
      name: document.name,
      version: document.version,
      contentHash,
      document,
    });
  }
  const people = Array.from({ length: voters + 1 }, () => log.id());
  for (const [i, userId] of people.entries()) {
    log.append({
      type: "user.created",
      at: log.at(),
      actorId: null,
      userId,
      pseudonym: `voter-${i}${"x".repeat(padding)}`,
      verificationTier: i % 3,
    });
  }
  const [moderator, ...crowd] = people as [string, ...string[]];
  const batch = (policyHash: string, datapoints: number) => {
    const batchId = log.id();
    log.append({
      type: "batch.created",
      at: log.at(),
      actorId: null,
      batchId,
      slug: `batch-${batchId.slice(-4)}`,
      title: "Synthetic batch",
      policyHash,
      opensAt: log.at(),
      closesAt: new Date(START + 90 * 86_400_000).toISOString(),
      tallyVisibility: "AFTER_CLOSE",
      rationaleRequired: false,
    });
    return Array.from({ length: datapoints }, (_, n) => {
      const datapointId = log.id();
      const externalId = `synthetic-${n}`;
      const content: Content = {
        category: "helpfulness",
        title: `Synthetic pair ${n}`,
        prompt: `Question ${n}?`,
        context: null,
        responses: [
          { id: "A", text: `Answer A to ${n}.` },
          { id: "B", text: `Answer B to ${n}.` },
        ],
        labelOptions: { options: PAIRWISE_LABEL_OPTIONS },
      };
      const contentHash = sha256Hex(
        canonicalJson({ externalId, kind: "pairwise", ...content, proposedLabel: "A", proposedLabelSource: "model" }),
      );
      const seq = log.append({
        type: "datapoint.published",
        at: log.at(),
        actorId: null,
        datapointId,
        batchId,
        externalId,
        kind: "PAIRWISE",
        contentHash,
        options: OPTIONS,
        proposedLabel: "A",
        proposedLabelSource: "model",
      });
      log.published.set(datapointId, { seq, slug: `batch-${batchId.slice(-4)}`, externalId, contentHash, content });
      return datapointId;
    });
  };
  const vote = (
    datapointId: string,
    voter: string,
    option: string,
    type: "vote.cast" | "vote.changed" = "vote.cast",
  ) => {
    const shown = { order: ["response-1", "response-2"], proposedLabelVisible: false, tallyVisible: false };
    const common = { at: log.at(), actorId: voter, voteId: log.id(), datapointId, option, rationaleHash: null, shown };
    log.append(type === "vote.cast" ? { type, ...common } : { type, ...common, previousOption: "B" });
  };

  // Every third voter disagrees with the final labels, so the reliability weights differ.
  for (const datapointId of batch(equal.contentHash, history)) {
    for (const [i, voter] of crowd.entries()) vote(datapointId, voter, i % 3 === 0 ? "B" : "A");
    log.decide(datapointId, moderator, recordHistory);
  }
  const [target] = batch(reliability.contentHash, 1) as [string];
  for (const [i, voter] of crowd.entries()) vote(target, voter, i % 4 === 0 ? "A" : "B");
  vote(target, crowd[0]!, "B", "vote.changed");
  log.decide(target, moderator, true);
  return log;
}

export type WriteOptions = {
  /** Sign a checkpoint every this many events (and at the end). */
  checkpointEvery?: number;
  /** The log's key (default: a new one); a test gives the same key to two releases of one log. */
  key?: KeyObject;
  /** Hand the log over to `next` after the checkpoint of size `after` (a signed rotation in the manifest). */
  rotation?: { after: number; next: KeyObject };
  /** Write only the first `events` events and their checkpoints: an earlier cut of the same log, for --previous (its derived files still describe the whole story). */
  events?: number;
  /** The text of a line of audit.jsonl; by default JSON.stringify of the record, as the export writes it. */
  line?: (record: { seq: number; type: string; body: string; leafHash: string; chainHash: string }) => string;
};

/** Writes the log as a release directory with a manifest that matches every file. */
export async function writeSyntheticRelease(
  log: SyntheticLog,
  dir: string,
  options: WriteOptions = {},
): Promise<string> {
  const { checkpointEvery = 100, line = JSON.stringify, rotation } = options;
  mkdirSync(dir, { recursive: true });
  const first = { name: TEST_ORIGIN, privateKey: options.key ?? generateKeyPairSync("ed25519").privateKey };
  let signer = first;
  const keyRotations: string[] = [];
  const tree = new TreeBuilder();
  const notes: string[] = [];
  const records: Record<string, unknown>[] = [];
  const out = createWriteStream(path.join(dir, "audit.jsonl"));
  const events = log.events.slice(0, options.events ?? log.events.length);
  for (const event of events) {
    const text = line({
      seq: event.seq,
      type: event.type,
      body: event.body,
      leafHash: toHex(event.leaf),
      chainHash: toHex(event.chain),
    });
    if (!out.write(`${text}\n`)) await once(out, "drain");
    tree.push(event.leaf);
    if (tree.size % checkpointEvery === 0 || tree.size === events.length) {
      const signed = signCheckpoint(
        { treeSize: BigInt(tree.size), rootHash: tree.root(), timestamp: new Date(START) },
        signer,
      );
      const record = {
        origin: TEST_ORIGIN,
        treeSize: tree.size,
        rootHash: toHex(tree.root()),
        timestamp: new Date(START).toISOString(),
        keyId: toHex(signed.keyId),
        note: signed.note,
      };
      notes.push(signed.note);
      records.push(record);
    }
    if (rotation && tree.size === rotation.after) {
      const next = { name: TEST_ORIGIN, privateKey: rotation.next };
      keyRotations.push(
        signKeyRotation(
          signer,
          noteVerifier(TEST_ORIGIN, signer.privateKey),
          noteVerifier(TEST_ORIGIN, next.privateKey),
          tree.size,
        ),
      );
      signer = next;
    }
  }
  const publicKey = createPublicKey(signer.privateKey);
  out.end();
  await once(out, "close");
  writeFileSync(path.join(dir, "checkpoints.jsonl"), records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  writeFileSync(path.join(dir, "checkpoint-key.pem"), publicKey.export({ type: "spki", format: "pem" }));
  // Without the history's records, the release is the last batch's alone (as one filtered by batch is).
  const recordsAll = log.decided.every((d) => d.recorded);
  const filters: Record<string, string> = recordsAll
    ? { status: "FINALIZED" }
    : { batch: log.lastBatch, status: "FINALIZED" };
  const rows = await writeDerived(
    log,
    dir,
    (datapointId) => recordsAll || log.published.get(datapointId)?.slug === log.lastBatch,
  );
  const names = ["audit.jsonl", "checkpoints.jsonl", ...Object.keys(rows), "checkpoint-key.pem"];
  const files = names.map((name) => {
    const bytes = readFileSync(path.join(dir, name));
    return {
      name,
      path: name,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      bytes: bytes.length,
      rows: rows[name] ?? (name === "checkpoint-key.pem" ? null : countLines(bytes)),
    };
  });
  const size = events.length;
  const cut = { treeSize: size, rootHash: toHex(tree.root()) };
  const policies = JSON.parse(readFileSync(path.join(dir, "policies.json"), "utf8")) as unknown;
  const manifest = {
    asOfSeq: size,
    filters,
    checkpoint: records.at(-1)!,
    checkpointKey: { file: "checkpoint-key.pem", keyName: TEST_ORIGIN },
    keyRotations,
    policies,
    files,
    signedRelease: signReleaseStatement({ cut, filters, files }, signer),
  };
  writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

const countLines = (bytes: Buffer) =>
  bytes
    .toString("utf8")
    .split("\n")
    .filter((l) => l !== "").length;

/** The derived files of the datapoints `selected` keeps, in the export's order and encoding; their row counts. */
async function writeDerived(
  log: SyntheticLog,
  dir: string,
  selected: (datapointId: string) => boolean,
): Promise<Record<string, number | null>> {
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const decided = log.decided
    .filter((d) => selected(d.datapointId))
    .sort((a, b) => byId(a.datapointId, b.datapointId) || byId(a.decisionId, b.decisionId));
  const final = new Map(decided.map((d) => [d.datapointId, d]));
  const datapoints = [...final.keys()].sort(byId);
  const rows: Record<string, number | null> = {};
  const write = async (name: string, encoded: Encoded) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of encoded.chunks) chunks.push(chunk);
    writeFileSync(path.join(dir, name), Buffer.concat(chunks));
    rows[name] = encoded.rows();
  };
  const page = async function* <T>(items: T[]) {
    if (items.length) yield items;
  };
  await write(
    "decisions.jsonl",
    jsonl(page(decided), (d) => {
      const published = log.published.get(d.datapointId)!;
      return decisionRow({
        id: d.decisionId,
        datapointId: d.datapointId,
        externalId: published.externalId,
        batch: published.slug,
        kind: "PAIRWISE",
        label: (JSON.parse(d.tally) as { outcome: { option: string } }).outcome.option,
        isOverride: false,
        overrideReason: null,
        rationale: d.decisionId,
        moderatorId: d.moderator,
        moderatorPseudonym: log.pseudonyms.get(d.moderator)!,
        confirmedById: null,
        confirmedByPseudonym: null,
        confirmedAt: new Date(d.at),
        createdAt: new Date(d.at),
        policyHash: (JSON.parse(d.tally) as { policyHash: string }).policyHash,
        lastSeq: BigInt(d.lastSeq),
        voteDigest: d.digest,
        tally: d.tally,
        recordedSeq: BigInt(d.seq),
        finalizedSeq: BigInt(d.seq),
        declinedSeq: null,
        reopenedSeq: null,
      });
    }),
  );
  const votes = [...log.latest.values()]
    .filter((v) => final.has(v.datapointId))
    .sort((a, b) => byId(a.datapointId, b.datapointId) || byId(a.actorId, b.actorId));
  await write(
    "votes.jsonl",
    jsonl(page(votes), (v) => {
      const published = log.published.get(v.datapointId)!;
      return voteRow({
        voteId: v.voteId,
        raterId: v.actorId,
        raterPseudonym: log.pseudonyms.get(v.actorId)!,
        datapointId: v.datapointId,
        externalId: published.externalId,
        batch: published.slug,
        kind: "PAIRWISE",
        option: v.option,
        rationaleSha256: v.rationaleHash,
        shown: v.shown,
        auditSeq: BigInt(v.seq),
        castAt: new Date(v.at),
      });
    }),
  );
  const records: DatasetRecord[] = datapoints.map((id) => {
    const { externalId, slug, contentHash, content } = log.published.get(id)!;
    const d = final.get(id)!;
    const tally = JSON.parse(d.tally) as { outcome: { option: string }; policyHash: string };
    return {
      id,
      externalId,
      batch: slug,
      kind: "PAIRWISE",
      ...content,
      proposedLabel: "A",
      contentHash,
      decision: {
        id: d.decisionId,
        label: tally.outcome.option,
        policyHash: tally.policyHash,
        tally: d.tally,
        isOverride: false,
        decidedAt: new Date(d.at),
        finalizedSeq: BigInt(d.seq),
      },
    };
  });
  await write("dataset.jsonl", jsonl(page(records), datasetRow));
  await write(
    "dataset.preference.jsonl",
    jsonl(page(records), (record) => preferencePair(datasetRow(record))),
  );
  await write("dataset.csv", csv(page(records), DATASET_COLUMNS, datasetRow));
  await write("dataset.parquet", parquet(page(records), DATASET_COLUMNS, datasetRow));
  const used = [...new Set(decided.map((d) => (JSON.parse(d.tally) as { policyHash: string }).policyHash))].sort(byId);
  const policies = Object.fromEntries(used.map((hash) => [hash, log.policyEntries.get(hash)!]));
  writeFileSync(path.join(dir, "policies.json"), `${JSON.stringify(policies, null, 2)}\n`);
  rows["policies.json"] = used.length;
  return rows;
}
