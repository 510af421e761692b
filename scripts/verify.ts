// `npm run verify -- <release dir or manifest URL> [--key <file or vkey>] [--previous <dir or URL>]`:
// check a Plenary release offline. Exit codes: 0 verified, 1 mismatch (listed by seq), 2 unusable input.
import { parseArgs } from "node:util";
import { createProgress } from "@/lib/runtime/progress";
import { UnusableInput, openRelease } from "@/lib/verifier/source";
import { readTrustedKey } from "@/lib/verifier/trusted-key";
import { verifyRelease } from "@/lib/verifier/verify";

const HELP = `Usage: npm run verify -- <release directory | manifest URL> [--key <file | verifier key>] [--previous <release>]

Checks a release written by \`npm run export\` (or served at /api/exports/manifest):
  - the release's signed statement (its cut, filters and every file's SHA-256, size and rows),
    with the log's key: --key pins it (a PEM public key file, a file holding the verifier key,
    or the verifier key itself, as /.well-known/plenary-checkpoint-key publishes it); without
    --key the key shipped in the release is trusted, and its fingerprint is printed to compare;
  - the cut: a signed checkpoint at exactly the trail's end; the hash chain, event by event;
    the Merkle roots against every signed checkpoint;
  - with --previous, that the earlier release has the same key and that this trail extends its
    signed cut (its root recomputed from this trail);
  - every decision: its tally recomputed from the vote events and the policy document;
  - every derived file (decisions, votes, policies, dataset.jsonl/.csv/.parquet, preference
    pairs) rebuilt from the log and compared row by row, each datapoint's content against the
    contentHash of its datapoint.published event, and the rows against the signed filters.
Exit codes: 0 verified, 1 a mismatch (each listed with its seq or file), 2 the input is unusable.`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { previous: { type: "string" }, key: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
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
  const key =
    args.values.key === undefined
      ? undefined
      : readTrustedKey(args.values.key, release.manifest.checkpointKey?.keyName);
  const previous = args.values.previous ? await openRelease(args.values.previous) : undefined;
  const progress = createProgress(process.stderr, "verify", "events");
  const result = await verifyRelease(release, {
    key,
    previous,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  for (const f of result.findings)
    console.log(`${f.seq !== undefined ? `seq ${f.seq}` : (f.file ?? "release")}: ${f.code}: ${f.detail}`);
  const { trust } = result;
  const cut = result.cut === null ? "no signed cut" : `cut at the signed checkpoint of size ${result.cut}`;
  const summary = `${result.events} events, ${cut}, ${result.checkpoints} signed checkpoints, ${result.decisions} decisions recomputed, every file rebuilt from the log`;
  const key_ = trust.pinned
    ? `log ${trust.origin}, key ${trust.keyId} pinned with --key (fingerprint ${trust.fingerprint})`
    : `log ${trust.origin}, key ${trust.keyId}: trusted the key shipped in the release, fingerprint ${trust.fingerprint}; compare it with the one the site publishes at /verify, or pass --key`;
  if (result.findings.length) {
    console.log(
      `NOT VERIFIED: ${result.findings.length} problem${result.findings.length === 1 ? "" : "s"} (${key_}; ${summary}).`,
    );
    return 1;
  }
  console.log(`VERIFIED: ${key_}; ${summary}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UnusableInput) console.error(`verify: ${error.message}`);
    else
      console.error(
        `verify: the verifier failed unexpectedly (${(error as Error)?.message ?? String(error)}); please report it with the release.`,
      );
    process.exit(2);
  },
);
