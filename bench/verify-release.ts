// Benchmark of offline verification at site scale (seed:large: about 1.37M events at --scale
// full): writeRelease cuts a release at the latest signed checkpoint, then verifyRelease
// (what `npm run verify` runs) checks every file's SHA-256, the hash chain, the Merkle roots
// of every signed checkpoint and recomputes every decision's tally from the log. Baseline,
// same run: a plain SHA-256 of the same bytes (every file of the release, read from disk).
// Baseline and verification each run in a process of their own. Run with
//   npx tsx bench/verify-release.ts [--scale small|full] [--fresh]     (npm run bench:verify)
// Target: the verify step under 10 s.
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { report, runChild } from "./support/child";
import { benchArgs, benchDatabase } from "./support/database";
import { machineLine, mb, rate, ratio, seconds, verdict, withPeakRss } from "./support/measure";

type Figures = { bytes: number; seconds: number; peakRss: number; events?: number; checkpoints?: number; decisions?: number; findings?: string[] };

const args = benchArgs({ role: undefined });
const SCRIPT = "bench/verify-release.ts";

if (args.option("role") === "sha256") {
  const dir = process.env.BENCH_RELEASE_DIR!;
  const started = performance.now();
  const { result: bytes, peakRss } = await withPeakRss(async () => {
    let total = 0;
    for (const name of readdirSync(dir).sort()) {
      const hash = createHash("sha256");
      for await (const chunk of createReadStream(path.join(dir, name))) {
        hash.update(chunk as Buffer);
        total += (chunk as Buffer).byteLength;
      }
      hash.digest();
    }
    return total;
  });
  report({ bytes, seconds: seconds(started), peakRss } satisfies Figures);
}

if (args.option("role") === "verify") {
  const { openRelease } = await import("@/lib/verifier/source");
  const { verifyRelease } = await import("@/lib/verifier/verify");
  const dir = process.env.BENCH_RELEASE_DIR!;
  const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
  const started = performance.now();
  const { result, peakRss } = await withPeakRss(async () => verifyRelease(await openRelease(dir)));
  report({
    bytes, seconds: seconds(started), peakRss, events: result.events, checkpoints: result.checkpoints, decisions: result.decisions,
    findings: result.findings.slice(0, 5).map((f) => `${f.seq ?? f.file}: ${f.code}`),
  } satisfies Figures);
}

console.log(machineLine());
const database = await benchDatabase(args.scale, args.fresh);
console.log(`scale: ${database.scale}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "plenary-bench-release-"));
try {
  const { writeRelease } = await import("@/lib/exports/release");
  const { filtersOf } = await import("@/lib/exports/schema");
  const releaseDir = path.join(dir, "release");
  let started = performance.now();
  const written = await writeRelease(releaseDir, filtersOf({}));
  if (!written.ok) throw new Error(written.message);
  const writeTime = seconds(started);
  const files = written.manifest.files.map((f) => `${f.name} ${mb(f.bytes)}`).join(", ");
  console.log(`writeRelease: ${written.manifest.asOfSeq.toLocaleString("en")} events in ${writeTime.toFixed(1)} s (${files})`);

  const env = { BENCH_RELEASE_DIR: releaseDir };
  await runChild<Figures>(SCRIPT, "sha256", env); // warm the page cache for both
  const baseline = await runChild<Figures>(SCRIPT, "sha256", env);
  started = performance.now();
  const verified = await runChild<Figures>(SCRIPT, "verify", env);
  console.log(`baseline SHA-256 of the release's bytes: ${mb(baseline.bytes)} in ${baseline.seconds.toFixed(2)} s (${mb(baseline.bytes / baseline.seconds)}/s), peak RSS ${mb(baseline.peakRss)}`);
  console.log(
    `verifyRelease: ${verified.events!.toLocaleString("en")} events (${rate(verified.events!, verified.seconds)} events/s), ` +
      `${verified.checkpoints} checkpoints, ${verified.decisions} decisions recomputed in ${verified.seconds.toFixed(2)} s, ` +
      `peak RSS ${mb(verified.peakRss)}, findings: ${verified.findings!.length ? verified.findings!.join("; ") : "none"}`,
  );
  console.log(`ratio to baseline: ${ratio(verified.seconds, baseline.seconds)} the time`);
  console.log(`goal verify < 10 s: ${verdict(verified.seconds < 10 && verified.findings!.length === 0)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await database.stop();
}
process.exit(0);
