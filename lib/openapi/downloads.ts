// The downloads (/api/exports/…) in the catalogue. One entry per file of lib/exports' FILES,
// keyed by its name, so a file added there fails the typecheck until it is described here;
// media types and query parameters are read from lib/exports itself.
import { DATASET_COLUMNS } from "@/lib/exports/columns";
import { FILES, type FileName } from "@/lib/exports/formats";
import {
  auditQuery,
  checkpointsQuery,
  datasetQuery,
  decisionsQuery,
  manifestQuery,
  policiesQuery,
} from "@/lib/exports/schema";
import type { ApiOperation, Body, HeaderName, ProblemStatus } from "./types";

const DEMO_BATCH = "helpfulness-nov-2026";

const EXPORT_NOTES: Record<string, string> = {
  batch: "Only the datapoints of the batch with this slug.",
  status: "Datapoint status as of the cut; FINALIZED (the default) means a final label as of asOfSeq. Any letter case.",
  minAgreement:
    "Only final labels whose majority share (the most-chosen option's share of the counted votes) is at least this, 0 to 1.",
  minMargin: "Only final labels whose winner leads the runner-up by at least this weighted share, 0 to 1.",
  from: "Only labels that became final on or after this day (YYYY-MM-DD, UTC) or instant (ISO 8601 with offset).",
  to: "Only labels that became final on or before this day (the whole day) or instant.",
  asOfSeq:
    "The log position the file describes (default: the head when the request starts; echoed in X-As-Of-Seq). The same asOfSeq gives the same bytes.",
  limit: 'At most this many rows; when more remain, X-Next-Cursor and Link rel="next" say where to resume.',
  cursor:
    "The X-Next-Cursor of the previous response: continues the same download in the same snapshot (leave asOfSeq out).",
  decisionStatus: "Only decision records in this state (default: any). Any letter case.",
  fromSeq: "First event (default 1).",
  toSeq: "Last event (default: the log's head, echoed in X-To-Seq).",
  fromTreeSize: "Smallest checkpoint tree size to include.",
  toTreeSize: "Largest checkpoint tree size to include.",
  treeSize: "The signed checkpoint to cut the release at (default: the latest).",
};

const TABLE_HEADERS: HeaderName[] = ["Content-Disposition", "X-As-Of-Seq", "X-Next-Cursor", "Link"];
// 503: every route under app/api answers an unreachable database so (lib/http/route.ts).
const TABLE_PROBLEMS: ProblemStatus[] = [400, 404, 503];
const COLUMNS = `Columns, in order: ${DATASET_COLUMNS.map((c) => c.name).join(", ")} (described on /data).`;
const FILTERED = "The filters choose datapoints; every table of a release covers the same ones.";

type Download = Pick<ApiOperation, "summary" | "description" | "query" | "problems"> & {
  example: string;
  headers: HeaderName[];
  schema?: Body["schema"];
};

const DOWNLOADS: Record<FileName, Download> = {
  "audit.jsonl": {
    summary: "The audit trail",
    description:
      "Every event in seq order, one AuditEntry a line: the stored canonical body byte for byte, its leaf hash and chain hash. Never filtered: a log is checked from its first event.",
    query: auditQuery,
    problems: TABLE_PROBLEMS,
    example: "?fromSeq=1&toSeq=100",
    headers: ["Content-Disposition", "X-From-Seq", "X-To-Seq"],
  },
  "checkpoints.jsonl": {
    summary: "Signed checkpoints",
    description:
      "Every signed checkpoint, smallest tree first, one Checkpoint a line (the shape of GET /api/log/checkpoint).",
    query: checkpointsQuery,
    problems: [400, 503],
    example: "",
    headers: ["Content-Disposition"],
  },
  "decisions.jsonl": {
    summary: "Decision records",
    description: `Decision records of the chosen datapoints, with the exact tally text, policy hash and vote digest. ${FILTERED}`,
    query: decisionsQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}&decisionStatus=FINAL`,
    headers: TABLE_HEADERS,
  },
  "votes.jsonl": {
    summary: "Votes",
    description: `Each rater's latest vote on each chosen datapoint as of the cut, by user id and pseudonym (never email or name); rationales as SHA-256 only. ${FILTERED}`,
    query: datasetQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}&status=any&limit=100`,
    headers: TABLE_HEADERS,
  },
  "dataset.jsonl": {
    summary: "The dataset (JSONL)",
    description: `One JSON object a line per chosen datapoint, every kind, with its final label and tally figures. ${COLUMNS}`,
    query: datasetQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}&minAgreement=0.7`,
    headers: TABLE_HEADERS,
  },
  "dataset.preference.jsonl": {
    summary: "Preference pairs",
    description:
      "prompt, chosen, rejected and metadata for pairwise datapoints whose final label is A or B (TIE and BOTH_BAD are left out). Strings for a single turn (TRL's standard format); with a context, TRL's conversational format: prompt is the earlier turns and then the prompt as {role, content} messages, chosen and rejected one assistant message each.",
    query: datasetQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}`,
    headers: TABLE_HEADERS,
  },
  "dataset.csv": {
    summary: "The dataset (CSV)",
    description: `The dataset table as RFC 4180 CSV with a header row; JSON columns as JSON text. ${COLUMNS}`,
    query: datasetQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}&status=any`,
    headers: TABLE_HEADERS,
  },
  "dataset.parquet": {
    summary: "The dataset (Parquet)",
    description: `The dataset table as Apache Parquet, one row group per page of rows. ${COLUMNS}`,
    query: datasetQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}`,
    headers: TABLE_HEADERS,
    schema: "binary",
  },
  "policies.json": {
    summary: "Voting policies",
    description: "The policy documents used by the chosen datapoints' decisions, by SHA-256 of their canonical JSON.",
    query: policiesQuery,
    problems: TABLE_PROBLEMS,
    example: `?batch=${DEMO_BATCH}`,
    headers: ["Content-Disposition", "X-As-Of-Seq"],
    schema: "Policies",
  },
  "checkpoint-key.pem": {
    summary: "Checkpoint public key (PEM)",
    description:
      "The Ed25519 key that signs checkpoints, as SPKI PEM. The same key with its C2SP verifier string: /.well-known/plenary-checkpoint-key.",
    problems: [503],
    example: "",
    headers: ["Content-Disposition"],
  },
};

function operationId(name: string): string {
  const words = name.split(/[^a-z0-9]+/i);
  return `download${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}`;
}

export const DOWNLOAD_OPERATIONS: ApiOperation[] = [
  ...(Object.entries(DOWNLOADS) as [FileName, Download][]).map(([name, file]): ApiOperation => ({
    path: `/api/exports/${name}`,
    operationId: operationId(name),
    tag: "Downloads",
    summary: file.summary,
    description: file.description,
    query: file.query,
    notes: EXPORT_NOTES,
    example: `/api/exports/${name}${file.example}`,
    responses: [
      {
        status: 200,
        description: "The file, streamed.",
        content: [{ mediaType: FILES[name].mediaType, schema: file.schema ?? "text" }],
        headers: file.headers,
      },
    ],
    problems: file.problems,
  })),
  {
    path: "/api/exports/manifest",
    operationId: "releaseManifest",
    tag: "Downloads",
    summary: "Release manifest",
    description:
      "The release of the filters at the latest (or the given) signed checkpoint: every file's path, SHA-256, bytes and rows. Every file is produced and hashed to answer, so this takes as long as downloading the release once.",
    query: manifestQuery,
    notes: EXPORT_NOTES,
    example: `/api/exports/manifest?batch=${DEMO_BATCH}`,
    responses: [
      { status: 200, description: "The manifest.", content: [{ mediaType: "application/json", schema: "Manifest" }] },
    ],
    problems: TABLE_PROBLEMS,
  },
];
