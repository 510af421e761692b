// Test data for the export tests, made through the real services (import, votes, closing,
// decisions), so the exports read exactly what the app writes.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, vi } from "vitest";
import { db } from "@/lib/db";
import { finalizeDecision, reviewOverride } from "@/lib/decisions/mutations";
import { closeBatchNow } from "@/lib/batches/lifecycle/mutations";
import { makeBatch, makeUser, type BatchOptions } from "@/lib/testing/fixtures";
import { castVote } from "@/lib/votes/mutations";

/** A temporary directory, removed when the test file ends. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Signs checkpoints with a throwaway key, never one in the project's data directory. */
export function signWithTestCheckpointKey(origin = "plenary.test/log"): string {
  const file = path.join(temporaryDir("plenary-export-key-"), "checkpoint-key.pem");
  writeFileSync(file, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
  });
  process.env.PLENARY_CHECKPOINT_KEY_FILE = file;
  process.env.PLENARY_LOG_ORIGIN = origin;
  return file;
}

type Kind = "pairwise" | "rating" | "classification";
type Plan = Partial<Record<Kind, string[] | { override: string; votes: string[] }>>;

const RATIONALE = "The public vote is clear and the discussion raised no new facts.";

/**
 * A batch whose datapoints received the planned votes (voter i casts the i-th vote of each),
 * then closed and decided: by accepting the tally, or by a confirmed override.
 */
export async function decidedBatch(plan: Plan, options: BatchOptions = {}) {
  const batch = await makeBatch(options);
  const votesOf = (kind: Kind) => {
    const entry = plan[kind];
    return entry === undefined ? [] : Array.isArray(entry) ? entry : entry.votes;
  };
  const voterCount = Math.max(...(["pairwise", "rating", "classification"] as const).map((k) => votesOf(k).length));
  const voters = [];
  for (let i = 0; i < voterCount; i++) voters.push(await makeUser());
  for (const kind of ["pairwise", "rating", "classification"] as const) {
    for (const [i, option] of votesOf(kind).entries()) {
      const cast = await castVote(
        {
          datapointId: batch[kind],
          option,
          rationale: i === 0 ? `Because ${option}.` : null,
          idempotencyKey: randomUUID(),
        },
        voters[i]!.id,
      );
      if (!cast.ok) throw new Error(cast.message);
    }
  }
  const [mod1, mod2, admin] = [await makeUser("MODERATOR"), await makeUser("MODERATOR"), await makeUser("ADMIN")];
  const batchId = (await db.batch.findUniqueOrThrow({ where: { slug: batch.slug } })).id;
  const closed = await closeBatchNow(batchId, admin.id);
  if (!closed.ok) throw new Error(closed.message);
  for (const kind of ["pairwise", "rating", "classification"] as const) {
    const entry = plan[kind];
    if (entry === undefined) continue;
    if (Array.isArray(entry)) {
      const decided = await finalizeDecision(
        { mode: "accept", datapointId: batch[kind], rationale: RATIONALE },
        mod1.id,
      );
      if (!decided.ok) throw new Error(decided.message);
      continue;
    }
    const proposed = await finalizeDecision(
      {
        mode: "override",
        datapointId: batch[kind],
        label: entry.override,
        overrideReason: "GUIDELINE_MISAPPLIED",
        rationale: "Both responses are equally good here.",
      },
      mod1.id,
    );
    if (!proposed.ok) throw new Error(proposed.message);
    const confirmed = await reviewOverride(
      { decisionId: proposed.decisionId, verdict: "confirm", rationale: "" },
      mod2.id,
    );
    if (!confirmed.ok) throw new Error(confirmed.message);
  }
  return { ...batch, batchId, voters, mod1, mod2, admin };
}

/** The whole body of a response as text. */
export async function textOf(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

/** JSONL body → parsed lines. */
export async function linesOf(response: Response): Promise<Record<string, unknown>[]> {
  const text = await textOf(response);
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const url = (pathAndQuery: string) => new URL(pathAndQuery, "http://plenary.test");

/** Pages read by audit trail downloads (each is one COPY statement), counted as they are sent. */
export function countAuditPageReads() {
  const query = vi.spyOn(pg.Client.prototype, "query");
  const isCopy = (sent: unknown) =>
    typeof (sent as { text?: unknown } | null)?.text === "string" && (sent as { text: string }).text.startsWith("COPY");
  return { count: () => query.mock.calls.filter(([sent]) => isCopy(sent)).length, restore: () => query.mockRestore() };
}
