// The text side of `npm run import`: arguments, help, the printed report and the progress
// display. Kept apart from scripts/import.ts so it is unit-tested without a database.
import { parseArgs } from "node:util";
import { createProgress } from "@/lib/runtime/progress";
import { MAX_IMPORT_BYTES, MAX_IMPORT_LINES, moreErrors, type ImportReport } from "./rules";

export const EXIT = { imported: 0, rejected: 1, failed: 2 } as const;

export const HELP = `Usage: npm run import -- <file.jsonl> [--actor <admin email>]

Imports candidate datapoints from a JSONL file into the database at DATABASE_URL: a
"batch" record, then "datapoint" records, one JSON object a line (the format is
lib/datapoints/schema.ts; examples in prisma/seed/batches/). Every line is checked
first: when any line has a problem, nothing is imported and the report lists each one
as <file>:<line>: <reason>. Importing identical content again changes nothing.
Files are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB and ${MAX_IMPORT_LINES.toLocaleString("en-US")} lines.

Options:
  --actor <email>  The admin account the import is attributed to in the audit log
                   (default: none, recorded as the system). Must be an admin.
  -h, --help       Show this help.

The report goes to stdout; progress to stderr (a bar on a terminal, plain lines otherwise).

Exit codes:
  ${EXIT.imported}  imported (or already imported with identical content)
  ${EXIT.rejected}  the file has problems: nothing was imported
  ${EXIT.failed}  could not run: bad arguments, unreadable file, DATABASE_URL unset or
     unreachable, or the --actor account is missing or not an admin
`;

export type CliArgs = { help: true } | { help: false; file: string; actor: string | null };

/** The command line, or one sentence saying what is wrong with it. */
export function parseCliArgs(argv: string[]): { ok: true; args: CliArgs } | { ok: false; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { actor: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (parsed.values.help) return { ok: true, args: { help: true } };
  if (parsed.positionals.length !== 1) {
    return {
      ok: false,
      message: parsed.positionals.length ? "Give exactly one file." : "Give the JSONL file to import.",
    };
  }
  const actor = parsed.values.actor?.trim() ?? null;
  if (actor === "") return { ok: false, message: "--actor needs the email of an admin account." };
  return { ok: true, args: { help: false, file: parsed.positionals[0]!, actor } };
}

/** The report as printed: one `<file>:<line>: <reason>` per problem, then the verdict. */
export function reportLines(file: string, report: ImportReport): string[] {
  if (report.ok) return [`import: ${report.message}`, `import: file SHA-256 ${report.fileHash}`];
  const more = moreErrors(report);
  return [
    ...report.errors.map((e) => `${file}:${e.line}: ${e.message}`),
    ...(more ? [more] : []),
    `import: ${report.message}`,
  ];
}

/** The import's progress: records of the file, on stderr. */
export const createImportProgress = (out: Parameters<typeof createProgress>[0], clock?: () => number) =>
  createProgress(out, "import", "records", clock);
