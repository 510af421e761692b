// `npm run verify -- <release dir or manifest URL> [--previous <dir or URL>]`: check a Plenary
// release offline. Exit codes: 0 verified, 1 mismatch (listed by seq), 2 unusable input.
import { parseArgs } from "node:util";
import { createProgress } from "@/lib/cli/progress";
import { UnusableInput, openRelease } from "@/lib/verifier/source";
import { verifyRelease } from "@/lib/verifier/verify";

const HELP = `Usage: npm run verify -- <release directory | manifest URL> [--previous <release>]

Checks a release written by \`npm run export\` (or served at /api/exports/manifest):
  - every file against the manifest's SHA-256 and size;
  - the audit log's hash chain, event by event;
  - the Merkle roots against the signed checkpoints, with the release's public key,
    and against an earlier release's checkpoint with --previous (consistency);
  - every decision: its tally recomputed from the vote events and the policy documents,
    compared byte for byte with the recorded decision.
Exit codes: 0 verified, 1 a mismatch (each listed with its seq), 2 the input is unusable.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { previous: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    console.error(`verify: ${(error as Error).message}`);
    return 2;
  }
  if (args.values.help) {
    console.log(HELP);
    return 0;
  }
  const [source] = args.positionals;
  if (!source || args.positionals.length > 1) {
    console.error(HELP);
    return 2;
  }
  const release = await openRelease(source);
  const previous = args.values.previous ? await openRelease(args.values.previous) : undefined;
  const progress = createProgress(process.stderr, "verify", "events");
  const result = await verifyRelease(release, { previous, onProgress: (done, total) => progress.update(done, total) });
  progress.finish();
  for (const f of result.findings) console.log(`${f.seq !== undefined ? `seq ${f.seq}` : (f.file ?? "release")}: ${f.code}: ${f.detail}`);
  const summary = `${result.events} events, ${result.checkpoints} signed checkpoints, ${result.decisions} decisions recomputed`;
  if (result.findings.length) {
    console.log(`NOT VERIFIED: ${result.findings.length} problem${result.findings.length === 1 ? "" : "s"} (${summary}).`);
    return 1;
  }
  console.log(`VERIFIED: ${summary}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UnusableInput ? `verify: ${error.message}` : error);
    process.exit(2);
  },
);
