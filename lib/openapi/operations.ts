// Every API route, described once: the OpenAPI document (document.ts) and the /developers
// page are both built from this list. document.test.ts scans app/api and app/.well-known, so
// a route missing here (or an entry without its route) fails the tests.
import { MAX_ENTRIES, checkpointQuery, consistencyQuery, entriesQuery, inclusionQuery } from "@/lib/checkpoints/schema";
import { CHART_IDS, chartFileParams } from "@/lib/research/schema";
import { voteInputSchema } from "@/lib/votes/schema";
import { DOWNLOAD_OPERATIONS } from "./downloads";
import type { ApiOperation } from "./types";

const LOG_NOTES: Record<string, string> = {
  treeSize: "Tree size of a signed checkpoint (default: the latest). A fixed size makes the answer cacheable forever.",
  seq: "The event's position in the log, from 1.",
  first: "Tree size of the older signed checkpoint.",
  second: "Tree size of the newer signed checkpoint (default: the latest).",
  from: "First seq to return.",
  to: `Last seq to return (inclusive); at most ${MAX_ENTRIES.toLocaleString("en-US")} events are returned a request.`,
};

// 503: every route under app/api answers an unreachable database so (lib/http/route.ts).
const LOG_PROBLEMS: ApiOperation["problems"] = [400, 404, 503];
const json = (schema: ApiOperation["responses"][number]["content"][number]["schema"]) => [
  { mediaType: "application/json", schema },
];

const LOG_OPERATIONS: ApiOperation[] = [
  {
    path: "/api/log/checkpoint",
    operationId: "getCheckpoint",
    tag: "Audit log",
    summary: "Signed checkpoint",
    description:
      "The latest signed checkpoint (tree head) of the audit log, or the one of a given tree size. Verify `note` with the key at /.well-known/plenary-checkpoint-key.",
    query: checkpointQuery,
    notes: LOG_NOTES,
    example: "/api/log/checkpoint",
    responses: [{ status: 200, description: "The checkpoint.", content: json("Checkpoint") }],
    problems: LOG_PROBLEMS,
  },
  {
    path: "/api/log/proof/inclusion",
    operationId: "getInclusionProof",
    tag: "Audit log",
    summary: "Inclusion proof",
    description:
      "RFC 9162 proof that an event is in the tree of a signed checkpoint. Proofs are served against signed checkpoints only.",
    query: inclusionQuery,
    notes: LOG_NOTES,
    example: "/api/log/proof/inclusion?seq=1",
    responses: [{ status: 200, description: "The proof.", content: json("InclusionProof") }],
    problems: LOG_PROBLEMS,
  },
  {
    path: "/api/log/proof/consistency",
    operationId: "getConsistencyProof",
    tag: "Audit log",
    summary: "Consistency proof",
    description: "RFC 9162 proof that a later signed checkpoint extends an earlier one: the log only grew.",
    query: consistencyQuery,
    notes: LOG_NOTES,
    example: "/api/log/proof/consistency?first=1",
    responses: [{ status: 200, description: "The proof.", content: json("ConsistencyProof") }],
    problems: LOG_PROBLEMS,
  },
  {
    path: "/api/log/entries",
    operationId: "getEntries",
    tag: "Audit log",
    summary: "Audit events",
    description: `Events from … to as stored (canonical body, leaf and chain hash), at most ${MAX_ENTRIES.toLocaleString("en-US")} a request; a longer range is cut short, so continue from the returned \`to\` + 1.`,
    query: entriesQuery,
    notes: LOG_NOTES,
    example: "/api/log/entries?from=1&to=10",
    responses: [{ status: 200, description: "The events.", content: json("Entries") }],
    problems: LOG_PROBLEMS,
  },
  {
    path: "/.well-known/plenary-checkpoint-key",
    operationId: "getCheckpointKey",
    tag: "Audit log",
    summary: "Checkpoint signing key",
    description: "The Ed25519 public key that signs checkpoints: PEM, raw base64 and the C2SP verifier key string.",
    example: "/.well-known/plenary-checkpoint-key",
    responses: [{ status: 200, description: "The key.", content: json("PublishedKey") }],
    problems: [503],
  },
];

const CHART_FILES = CHART_IDS.flatMap((id) => [`${id}.csv`, `${id}.svg`]);

const RESEARCH_OPERATIONS: ApiOperation[] = [
  {
    path: "/api/research/{slug}/{chart}",
    operationId: "getResearchChart",
    tag: "Research",
    summary: "Research chart",
    description:
      "One research chart of a batch, from its final labels: the data as CSV or the picture as a standalone SVG. A batch with no final label yet gives zero counts.",
    pathParams: chartFileParams,
    notes: { slug: "The batch's slug.", chart: `The chart and format: ${CHART_FILES.join(", ")}.` },
    example: "/api/research/helpfulness-nov-2026/agreement.svg",
    responses: [
      {
        status: 200,
        description: "The chart's data (.csv, with a header row) or picture (.svg).",
        content: [
          { mediaType: "text/csv", schema: "text" },
          { mediaType: "image/svg+xml", schema: "text" },
        ],
        headers: ["Content-Disposition"],
      },
    ],
    problems: [404, 503],
  },
];

const VOTING_OPERATIONS: ApiOperation[] = [
  {
    path: "/api/votes",
    method: "post",
    operationId: "castVote",
    tag: "Voting",
    summary: "Cast or change a vote",
    description:
      "Casts, or changes, the signed-in user's vote on an open datapoint, as the site's vote form does. Same origin only (another Origin is refused with 403). A retried request with the same idempotencyKey changes nothing and answers 200 with duplicate: true.",
    body: {
      schema: voteInputSchema,
      description: "The vote; idempotencyKey is a fresh UUID per new vote, reused when retrying.",
      example: {
        datapointId: "00000000-0000-4000-8000-000000000000",
        option: "A",
        rationale: "A answers the question; B does not.",
        idempotencyKey: "11111111-1111-4111-8111-111111111111",
      },
    },
    session: true,
    example: "/api/votes",
    responses: [
      { status: 201, description: "The vote was cast or changed.", content: json("Vote") },
      { status: 200, description: "A retry of a vote already recorded (duplicate: true).", content: json("Vote") },
    ],
    problems: [400, 401, 403, 404, 409, 413, 415, 422, 429, 503],
  },
];

const SERVICE_OPERATIONS: ApiOperation[] = [
  {
    path: "/api/health",
    operationId: "getHealth",
    tag: "Service",
    summary: "Health",
    description: "Liveness and database reachability, for load balancers. Not rate limited.",
    example: "/api/health",
    responses: [
      { status: 200, description: "The app and its database are up.", content: json("Health") },
      { status: 503, description: "The database is unreachable.", content: json("Health") },
    ],
    problems: [],
  },
  {
    path: "/api/ping",
    method: "post",
    operationId: "ping",
    tag: "Service",
    summary: "Ping",
    description:
      "Answers at once without touching the database: checks that the app takes write requests through the same rate limiting as every API route. Needs no body.",
    example: "/api/ping",
    responses: [{ status: 200, description: "The app is up and takes POST requests.", content: json("object") }],
    problems: [429],
  },
  {
    path: "/api/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Service",
    summary: "This API description",
    description: "This OpenAPI 3.1 document, generated from the same zod schemas the routes parse their input with.",
    example: "/api/openapi.json",
    responses: [{ status: 200, description: "The OpenAPI document.", content: json("object") }],
    problems: [],
  },
];

export const OPERATIONS: readonly ApiOperation[] = [
  ...LOG_OPERATIONS,
  ...DOWNLOAD_OPERATIONS,
  ...RESEARCH_OPERATIONS,
  ...VOTING_OPERATIONS,
  ...SERVICE_OPERATIONS,
];
