// Releases for the verifier's unit tests, made without a database: an audit trail written as
// appendEvent writes it (canonical bodies, leaf and chain hashes), checkpoints signed with a
// throwaway key, decision records whose tallies come from replaying the same events, and a
// manifest. The story: voters build a track record on datapoints of an equal-policy batch
// whose labels are finalized, then a datapoint under the reliability policy is decided.
import { createHash, generateKeyPairSync } from "node:crypto";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { canonicalJson } from "@/lib/audit/canonical";
import type { AuditEvent } from "@/lib/audit/events";
import { GENESIS_CHAIN_HASH, chainHash, leafHash, sha256Hex, toHex } from "@/lib/audit/hash";
import { TreeBuilder } from "@/lib/audit/merkle";
import { signCheckpoint } from "@/lib/checkpoints/format";
import { voteDigest } from "@/lib/decisions/rules";
import { policyDocumentSchema } from "@/lib/policies/schema";
import { TallyFacts } from "@/lib/tally/from-log";
import { tallyDatapoint } from "@/lib/tally/tally";
import type { DecisionRecord } from "./decisions";

export const TEST_ORIGIN = "plenary.verifier-test/log";
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

export class SyntheticLog {
  readonly events: { seq: number; type: string; body: string; leaf: Uint8Array; chain: Uint8Array }[] = [];
  readonly records: DecisionRecord[] = [];
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
    if (outcome.kind !== "decided" || !outcome.option) throw new Error(`the story's tally of ${datapointId} is not decided`);
    const lastSeq = this.events.length;
    const digest = voteDigest([...(this.votes.get(datapointId)?.values() ?? [])]);
    const decisionId = this.id();
    const finalizedSeq = this.append({
      type: "decision.finalized", at, actorId: moderator, decisionId, datapointId, label: outcome.option, policyHash: input.policyHash,
      tallyHash: sha256Hex(tally), lastSeq, voteDigest: digest, isOverride: false, overrideReason: null, rationaleHash: sha256Hex(decisionId), confirmedById: null,
    });
    if (record) {
      this.records.push({
        decision_id: decisionId, datapoint_id: datapointId, label: outcome.option, is_override: false, policy_hash: input.policyHash,
        last_seq: lastSeq, vote_digest: digest, tally, recorded_seq: null, finalized_seq: finalizedSeq,
      });
    }
  }
}

function policy(file: string) {
  const document = policyDocumentSchema.parse(JSON.parse(readFileSync(path.join("prisma/seed/policies", file), "utf8")));
  return { document, contentHash: sha256Hex(canonicalJson(document)) };
}

/** The story above, as a log. */
export function reliabilityStory({ voters = 12, history = 4, padding = 0, recordHistory = false }: StoryOptions = {}): SyntheticLog {
  const log = new SyntheticLog();
  const equal = policy("equal-v1.json");
  const reliability = policy("reliability-v1.json");
  for (const { document, contentHash } of [equal, reliability]) {
    log.append({ type: "policy.published", at: log.at(), actorId: null, policyId: log.id(), name: document.name, version: document.version, contentHash, document });
  }
  const people = Array.from({ length: voters + 1 }, () => log.id());
  for (const [i, userId] of people.entries()) {
    log.append({ type: "user.created", at: log.at(), actorId: null, userId, pseudonym: `voter-${i}${"x".repeat(padding)}`, verificationTier: i % 3 });
  }
  const [moderator, ...crowd] = people as [string, ...string[]];
  const batch = (policyHash: string, datapoints: number) => {
    const batchId = log.id();
    log.append({
      type: "batch.created", at: log.at(), actorId: null, batchId, slug: `batch-${batchId.slice(-4)}`, title: "Synthetic batch", policyHash,
      opensAt: log.at(), closesAt: new Date(START + 90 * 86_400_000).toISOString(), tallyVisibility: "AFTER_CLOSE", rationaleRequired: false,
    });
    return Array.from({ length: datapoints }, (_, n) => {
      const datapointId = log.id();
      log.append({
        type: "datapoint.published", at: log.at(), actorId: null, datapointId, batchId, externalId: `synthetic-${n}`, kind: "PAIRWISE",
        contentHash: sha256Hex(datapointId), options: OPTIONS, proposedLabel: "A", proposedLabelSource: "model",
      });
      return datapointId;
    });
  };
  const vote = (datapointId: string, voter: string, option: string, type: "vote.cast" | "vote.changed" = "vote.cast") => {
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
  /** The text of a line of audit.jsonl; by default JSON.stringify of the record, as the export writes it. */
  line?: (record: { seq: number; type: string; body: string; leafHash: string; chainHash: string }) => string;
};

/** Writes the log as a release directory with a manifest that matches every file. */
export async function writeSyntheticRelease(log: SyntheticLog, dir: string, { checkpointEvery = 100, line = JSON.stringify }: WriteOptions = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = { name: TEST_ORIGIN, privateKey };
  const tree = new TreeBuilder();
  const notes: string[] = [];
  const out = createWriteStream(path.join(dir, "audit.jsonl"));
  for (const event of log.events) {
    const text = line({ seq: event.seq, type: event.type, body: event.body, leafHash: toHex(event.leaf), chainHash: toHex(event.chain) });
    if (!out.write(`${text}\n`)) await once(out, "drain");
    tree.push(event.leaf);
    if (tree.size % checkpointEvery === 0 || tree.size === log.events.length) {
      notes.push(signCheckpoint({ treeSize: BigInt(tree.size), rootHash: tree.root(), timestamp: new Date(START) }, signer).note);
    }
  }
  out.end();
  await once(out, "close");
  writeFileSync(path.join(dir, "checkpoints.jsonl"), notes.map((note) => `${JSON.stringify({ note })}\n`).join(""));
  writeFileSync(path.join(dir, "decisions.jsonl"), log.records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  writeFileSync(path.join(dir, "checkpoint-key.pem"), publicKey.export({ type: "spki", format: "pem" }));
  const files = ["audit.jsonl", "checkpoints.jsonl", "decisions.jsonl", "checkpoint-key.pem"].map((name) => {
    const bytes = readFileSync(path.join(dir, name));
    return { name, path: name, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length, rows: null };
  });
  const size = log.events.length;
  const manifest = {
    asOfSeq: size,
    checkpoint: { origin: TEST_ORIGIN, treeSize: size, rootHash: toHex(tree.root()), note: notes.at(-1)! },
    checkpointKey: { file: "checkpoint-key.pem", keyName: TEST_ORIGIN },
    files,
  };
  writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
