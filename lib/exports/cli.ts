// The text side of `npm run export`: arguments, help and the printed report. Kept apart from
// scripts/export.ts so it is unit-tested without a database. The filters are checked by the
// same schema as GET /api/exports/manifest, so the CLI and the API cannot disagree.
import { parseArgs } from "node:util";
import type { Manifest } from "./manifest";
import { filtersOf, manifestQuery, type ExportFilters } from "./schema";

export const EXIT = { written: 0, refused: 1, failed: 2 } as const;

export const HELP = `Usage: npm run export -- <dir> [--batch <slug>] [--status <status>]
         [--min-agreement <0–1>] [--min-margin <0–1>] [--from <date>] [--to <date>] [--tree-size <N>]

Writes a release of the database at DATABASE_URL into <dir> (new or empty): the audit trail,
the signed checkpoints, decision records, votes, the dataset as preference JSONL, JSONL, CSV
and Parquet, the voting policies, the checkpoint public key and manifest.json (every file's
SHA-256, bytes and rows). The release is cut at the latest signed checkpoint (or the one of
--tree-size): the audit trail stops at its tree size and every table describes the log there.

Filters (as on /data and /api/exports/…):
  --batch <slug>          one batch
  --status <status>       FINALIZED (default: final labels), CLOSED, OPEN, REOPENED or any
  --min-agreement <0–1>   majority share of the counted votes, at least
  --min-margin <0–1>      tally margin (leader's weighted share minus runner-up's), at least
  --from <date>           labels decided on or after (2026-11-27 or 2026-11-27T09:00:00Z)
  --to <date>             labels decided on or before (a date includes that whole day)
  --tree-size <N>         cut at the signed checkpoint of tree size N instead of the latest
  -h, --help              show this help

Exit codes:
  ${EXIT.written}  the release was written
  ${EXIT.refused}  nothing written: no signed checkpoint yet, unknown checkpoint or batch, <dir> not empty
  ${EXIT.failed}  could not run: bad arguments, DATABASE_URL unset or unreachable
`;

export type ExportArgs = { help: true } | { help: false; dir: string; filters: ExportFilters; treeSize?: number };

const FLAGS = {
  batch: "batch",
  status: "status",
  "min-agreement": "minAgreement",
  "min-margin": "minMargin",
  from: "from",
  to: "to",
  "tree-size": "treeSize",
} as const;

/** The command line, or one sentence saying what is wrong with it. */
export function parseExportArgs(argv: string[]): { ok: true; args: ExportArgs } | { ok: false; message: string } {
  let parsed;
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }]));
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (parsed.values.help) return { ok: true, args: { help: true } };
  if (parsed.positionals.length !== 1) {
    return {
      ok: false,
      message: parsed.positionals.length
        ? "Give exactly one directory."
        : "Give the directory to write the release into.",
    };
  }
  const params = new URLSearchParams();
  for (const [flag, name] of Object.entries(FLAGS)) {
    const value = (parsed.values as Record<string, unknown>)[flag];
    if (typeof value === "string") params.set(name, value);
  }
  const query = manifestQuery.safeParse(Object.fromEntries(params));
  if (!query.success) {
    const issue = query.error.issues[0]!;
    const flag = Object.entries(FLAGS).find(([, name]) => name === issue.path[0])?.[0];
    return { ok: false, message: `${flag ? `--${flag}: ` : ""}${issue.message}` };
  }
  return {
    ok: true,
    args: { help: false, dir: parsed.positionals[0]!, filters: filtersOf(query.data), treeSize: query.data.treeSize },
  };
}

/** What the export prints: one `sha256  name  rows  bytes` line a file, then the cut. */
export function reportLines(dir: string, manifest: Manifest): string[] {
  const files = manifest.files.map(
    (f) =>
      `${f.sha256}  ${f.name.padEnd(24)} ${f.rows === null ? "" : `${f.rows.toLocaleString("en-US")} rows, `}${f.bytes.toLocaleString("en-US")} bytes`,
  );
  return [
    ...files,
    `export: wrote ${manifest.files.length} files and manifest.json to ${dir}`,
    `export: cut at the signed checkpoint of tree size ${manifest.asOfSeq} (root ${manifest.checkpoint.rootHash})`,
  ];
}
