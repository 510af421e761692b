// POST /api/votes: cast or change the signed-in user's vote, as a JSON API (the vote form uses
// the castVoteAction server action; both call castVote). A retried request with the same
// idempotencyKey changes nothing and answers 200 with duplicate: true. The route frame
// (lib/http/route.ts) has parsed the body and refused cross-site writes already.
import { rememberedSessionOwner, sessionCheck } from "@/lib/auth/data";
import { currentUser, sessionToken } from "@/lib/auth/session";
import { noteWrite } from "@/lib/database/read-your-writes";
import { databaseHealth } from "@/lib/health/data";
import { problem } from "@/lib/http/problem";
import { databaseUnavailable } from "@/lib/http/route";
import { canParticipate } from "@/lib/users/policy";
import { castVote, type CastVoteResult } from "./mutations";
import type { VoteInput } from "./schema";

/** A vote is a few hundred bytes of JSON; the rationale is at most 2,000 characters. */
export const MAX_VOTE_BODY_BYTES = 16_384;

const REFUSAL_STATUS: Record<Extract<CastVoteResult, { ok: false }>["reason"], number> = {
  NOT_FOUND: 404,
  NOT_OPEN_YET: 409,
  VOTING_CLOSED: 409,
  FINALIZED: 409,
  KEY_REUSED: 409,
  INVALID_OPTION: 422,
  RATIONALE_REQUIRED: 422,
  RATE_LIMITED: 429,
  SIGNED_OUT: 401,
};

/** Body: { datapointId, option, rationale?, idempotencyKey } (UUIDs; a fresh key per new vote). */
export async function voteResponse(vote: VoteInput, request: Request): Promise<Response> {
  // A voter whose session this process has read before: the vote's own statement checks the
  // session (one round trip instead of two). Voting needs nothing of the user but an active
  // account (canParticipate), which that check covers. Only a vote written proves the
  // session held, so anything else is asked again the full way below.
  const token = await sessionToken();
  const owner = token && rememberedSessionOwner(token);
  if (owner) {
    const result = await castVote(vote, owner, { session: sessionCheck(token, new Date()) });
    if (result.ok && !result.duplicate) {
      await noteWrite();
      return answer(result);
    }
  }
  const user = await voter(request);
  if (user instanceof Response) return user;
  const result = await castVote(vote, user.id);
  // A stored vote (or a replay of one): the voter's next pages read where it is (lib/database/read-your-writes.ts).
  if (result.ok) await noteWrite();
  return answer(result);
}

function answer(result: CastVoteResult): Response {
  if (!result.ok) return problem(REFUSAL_STATUS[result.reason], result.message, { reason: result.reason });
  return Response.json(
    { voteId: result.voteId, changed: result.changed, duplicate: result.duplicate },
    { status: result.duplicate ? 200 : 201, headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * The signed-in voter, or the answer for a request without one. currentUser answers "nobody"
 * while the database is away (or just back), so a signed-in voter looks signed out: with a
 * session cookie, check the database and look once more before saying 401.
 */
async function voter(request: Request) {
  let user = await currentUser();
  if (!user && request.headers.get("cookie")?.includes("session-token=")) {
    if (!(await databaseHealth()).ok) return databaseUnavailable();
    user = await currentUser();
  }
  return user && canParticipate(user) ? user : problem(401, "Sign in to vote.");
}
