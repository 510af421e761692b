import { route } from "@/lib/http/route";
import { MAX_VOTE_BODY_BYTES, voteResponse } from "@/lib/votes/api";
import { voteInputSchema } from "@/lib/votes/schema";

/** Cast or change the signed-in user's vote: { datapointId, option, rationale?, idempotencyKey }. */
export const POST = route({
  sameOrigin: "Votes must come from this site's own pages or a same-origin client.",
  body: { json: voteInputSchema, maxBytes: MAX_VOTE_BODY_BYTES, noun: "a vote" },
  handle: ({ body, request }) => voteResponse(body, request),
});
