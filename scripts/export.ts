// `npm run export -- <dir> [filters]`: a release (every download plus manifest.json) written
// into a directory, cut at a signed checkpoint. See lib/exports/cli.ts for the options.
import { ConfigError, databaseUrl } from "@/lib/env";
import { EXIT, HELP, parseExportArgs, reportLines } from "@/lib/exports/cli";

const parsed = parseExportArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`export: ${parsed.message}\nRun \`npm run export -- --help\` for the options.`);
  process.exit(EXIT.failed);
}
if (parsed.args.help) {
  console.log(HELP);
  process.exit(EXIT.written);
}
const { dir, filters, treeSize } = parsed.args;

try {
  databaseUrl();
  // Imported only now: the database client connects to DATABASE_URL when it is loaded.
  const { writeRelease } = await import("@/lib/exports/release");
  const result = await writeRelease(dir, filters, { treeSize });
  if (!result.ok) {
    console.error(`export: ${result.message}`);
    process.exit(EXIT.refused);
  }
  for (const line of reportLines(result.dir, result.manifest)) console.log(line);
  process.exit(EXIT.written);
} catch (error) {
  console.error(error instanceof ConfigError ? `export: ${error.message}` : error);
  process.exit(EXIT.failed);
}
