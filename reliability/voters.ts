// Signed-in voters and an open batch, made through the real services (so every account has
// its audit events), and a client for POST /api/votes that records what was acknowledged.
import { randomBytes, randomUUID } from "node:crypto";
import type { TestDatabase } from "./database";
import { requestFrom } from "./http-from";

const SESSION_COOKIE = "next-auth.session-token";

/**
 * The app's services, bound to the test database. lib/db connects to DATABASE_URL when it is
 * first imported, so the variable is set before the first import and never changed after.
 */
export async function services(database: TestDatabase) {
  if (process.env.DATABASE_URL && process.env.DATABASE_URL !== database.url)
    throw new Error("services are already bound to another database");
  process.env.DATABASE_URL = database.url;
  process.env.PLENARY_DB_POOL ??= "3";
  const [{ db }, fixtures, audit] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/testing/fixtures"),
    import("@/lib/audit/data"),
  ]);
  return { db, makeBatch: fixtures.makeBatch, makeUser: fixtures.makeUser, verifyStoredLog: audit.verifyStoredLog };
}

export type Services = Awaited<ReturnType<typeof services>>;
/** A signed-in voter; with `address`, its requests leave from that loopback address (http-from.ts). */
export type Voter = { userId: string; cookie: string; address?: string };

/** `count` citizens, each with a database session like the one a magic link creates. */
export async function makeVoters(
  s: Services,
  count: number,
  role: "CITIZEN" | "MODERATOR" | "ADMIN" = "CITIZEN",
): Promise<Voter[]> {
  const voters: Voter[] = [];
  for (let i = 0; i < count; i++) {
    const user = await s.makeUser(role);
    const token = randomBytes(32).toString("hex");
    await s.db.session.create({
      data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 86_400_000) },
    });
    voters.push({ userId: user.id, cookie: `${SESSION_COOKIE}=${token}` });
  }
  return voters;
}

export type OpenBatch = Awaited<ReturnType<Services["makeBatch"]>>;

/** Datapoints of an open batch with the options each accepts. */
export function ballot(batch: OpenBatch): { datapointId: string; options: string[] }[] {
  return [
    { datapointId: batch.pairwise, options: ["A", "B", "TIE", "BOTH_BAD"] },
    { datapointId: batch.rating, options: ["1", "2", "3", "4", "5"] },
    { datapointId: batch.classification, options: ["over_refusal", "fine"] },
  ];
}

export type VoteRequest = { datapointId: string; option: string; idempotencyKey: string; rationale?: string | null };

export type VoteAnswer =
  | {
      kind: "answer";
      status: number;
      body: Record<string, unknown>;
      retryAfter: string | null;
      contentType: string | null;
    }
  /** No HTTP answer; `refused` when the connection was never made (so nothing can have been stored). */
  | { kind: "no-answer"; error: string; refused: boolean };

/** One POST /api/votes; a dropped connection is an answer of its own ("no-answer"). */
export async function postVote(
  baseUrl: string,
  voter: Voter,
  vote: VoteRequest,
  timeoutMs = 60_000,
): Promise<VoteAnswer> {
  if (voter.address) return postVoteFrom(voter.address, baseUrl, voter, vote, timeoutMs);
  try {
    const response = await fetch(`${baseUrl}/api/votes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: voter.cookie },
      body: JSON.stringify(vote),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = parseBody(await response.text());
    return {
      kind: "answer",
      status: response.status,
      body,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type"),
    };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return { kind: "no-answer", error: String(cause ?? error), refused: cause?.code === "ECONNREFUSED" };
  }
}

async function postVoteFrom(
  address: string,
  baseUrl: string,
  voter: Voter,
  vote: VoteRequest,
  timeoutMs: number,
): Promise<VoteAnswer> {
  try {
    const response = await requestFrom(address, `${baseUrl}/api/votes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: voter.cookie },
      body: JSON.stringify(vote),
      timeoutMs,
    });
    return {
      kind: "answer",
      status: response.status,
      body: parseBody(response.text),
      retryAfter: header(response.headers["retry-after"]),
      contentType: header(response.headers["content-type"]),
    };
  } catch (error) {
    return { kind: "no-answer", error: String(error), refused: (error as { code?: string }).code === "ECONNREFUSED" };
  }
}

const header = (value: string | string[] | undefined): string | null =>
  Array.isArray(value) ? value.join(", ") : (value ?? null);

function parseBody(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text: text.slice(0, 500) };
  }
}

/**
 * What a well-behaved client does: POST the vote and, while the answer is a 503, try again
 * with the same idempotency key (sooner than Retry-After asks, to keep the run short). Every
 * answer is recorded in `ledger`; the last one is returned.
 */
export async function voteRetrying503(
  baseUrl: string,
  voter: Voter,
  vote: VoteRequest,
  ledger: Ledger,
  onAnswer?: (answer: VoteAnswer) => void,
): Promise<VoteAnswer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await postVote(baseUrl, voter, vote, 20_000);
    ledger.record(voter, vote, answer);
    onAnswer?.(answer);
    if (answer.kind !== "answer" || answer.status !== 503 || attempt >= 150) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A vote acknowledged with 2xx: what the client may rely on being stored. */
export type Ack = VoteRequest & { userId: string; voteId: string; duplicate: boolean; at: number };

/** Keeps every acknowledgement and tallies every other outcome by status. */
export class Ledger {
  readonly acks: Ack[] = [];
  readonly outcomes = new Map<string, number>();
  readonly samples = new Map<string, string>();

  record(voter: Voter, vote: VoteRequest, answer: VoteAnswer): boolean {
    const key = answer.kind === "answer" ? String(answer.status) : answer.refused ? "refused" : "no-answer";
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    if (!this.samples.has(key))
      this.samples.set(
        key,
        answer.kind === "answer" ? JSON.stringify(answer.body).slice(0, 300) : answer.error.slice(0, 300),
      );
    if (answer.kind !== "answer" || answer.status < 200 || answer.status >= 300) return false;
    this.acks.push({
      ...vote,
      userId: voter.userId,
      voteId: String(answer.body.voteId),
      duplicate: answer.body.duplicate === true,
      at: Date.now(),
    });
    return true;
  }

  count(status: string): number {
    return this.outcomes.get(status) ?? 0;
  }

  serverErrors(): number {
    return [...this.outcomes].filter(([status]) => /^5/.test(status)).reduce((sum, [, n]) => sum + n, 0);
  }

  summary(): string {
    return [...this.outcomes].map(([status, n]) => `${status}: ${n} (e.g. ${this.samples.get(status)})`).join("\n");
  }
}

export const newVote = (datapointId: string, option: string): VoteRequest => ({
  datapointId,
  option,
  idempotencyKey: randomUUID(),
});

export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}
