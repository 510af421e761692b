// `npm run import -- batch.jsonl [--actor <admin email>]`: the admin upload page's code
// path (lib/imports) from the command line, against DATABASE_URL. `--help` lists the exit codes.
import { readFile, stat } from "node:fs/promises";
import { EXIT, HELP, createImportProgress, parseCliArgs, reportLines } from "@/lib/imports/cli";
import { refusedFile, sizeProblem } from "@/lib/imports/rules";
import { parseDatabaseUrl, withClient } from "@/lib/database/connection";
import { ConfigError, env } from "@/lib/env";

/** A reason to stop before importing anything, printed as one sentence. */
class CannotRun extends Error {}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new CannotRun(`${parsed.message} See \`npm run import -- --help\`.`);
  if (parsed.args.help) {
    process.stdout.write(HELP);
    return EXIT.imported;
  }
  const { file, actor } = parsed.args;

  // Refuse an oversized file before reading it into memory.
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : Promise.reject(new CannotRun(`${file} is not a file.`))),
    (error: NodeJS.ErrnoException) => Promise.reject(new CannotRun(`Cannot read ${file}: ${readProblem(error)}.`)),
  );
  const tooLarge = sizeProblem(size);
  if (tooLarge) {
    print(reportLines(file, refusedFile("", tooLarge)));
    return EXIT.rejected;
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) =>
    Promise.reject(new CannotRun(`Cannot read ${file}: ${readProblem(error)}.`)),
  );

  const url = env().DATABASE_URL;
  if (!url)
    throw new CannotRun(
      "DATABASE_URL is not set; set it to the database to import into (postgresql://user:password@host:port/database).",
    );
  await checkDatabase(url);
  // lib/db connects on import, so the modules that use it load only once the URL is checked.
  const { findImportActor } = await import("@/lib/imports/data");
  const { importFile } = await import("@/lib/imports/mutations");
  const { canImport } = await import("@/lib/imports/policy");

  let actorId: string | null = null;
  if (actor) {
    const account = await findImportActor(actor);
    if (!account) throw new CannotRun(`No account has the email ${actor}.`);
    if (!canImport(account)) throw new CannotRun(`${actor} is not an admin; only admins may import.`);
    actorId = account.id;
  }

  const progress = createImportProgress(process.stderr);
  const report = await importFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    actorId,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  print(reportLines(file, report));
  return report.ok ? EXIT.imported : EXIT.rejected;
}

/** Reachable, and migrated: otherwise the import would fail half-way with a stack trace. */
async function checkDatabase(url: string): Promise<void> {
  const conn = parseDatabaseUrl(url);
  await withClient(conn, async (client) => {
    const found = await client.query("SELECT to_regclass('audit_head') IS NOT NULL AS migrated");
    if (!found.rows[0]?.migrated) {
      throw new CannotRun(
        `The database "${conn.database}" at ${conn.host}:${conn.port} has no Plenary tables; run \`npm run db:migrate\` first.`,
      );
    }
  });
}

function readProblem(error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return "no such file";
  if (error.code === "EACCES") return "permission denied";
  if (error.code === "EISDIR") return "it is a directory";
  return error.message;
}

function print(lines: string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(""));
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CannotRun || error instanceof ConfigError) {
    process.stderr.write(`import: ${error.message}\n`);
  } else {
    process.stderr.write(
      `import: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  code = EXIT.failed;
}
// The database pool would keep the process alive; the report is already written.
process.exit(code);
