// Benchmark of offline verification at site scale (seed:large: about 1.37M events at --scale
// full): writeRelease cuts a release at the latest signed checkpoint, then verifyRelease
// (what `npm run verify` runs) checks every file's SHA-256, the hash chain, the Merkle roots
// of every signed checkpoint and recomputes every decision's tally from the log. Baseline,
// same run: a plain SHA-256 of the same bytes (every file of the release, read from disk).
// Baseline and verification each run in a process of their own; peak RSS is the process's
// (worker threads included), as the kernel counts it. Run with
//   npx tsx bench/verify-release.ts [--scale small|full] [--fresh]     (npm run bench:verify)
//   npx tsx bench/verify-release.ts --release <dir> [--runs N]   (a release written before; no database)
// Targets: the log check under 10 s; the whole verification, every derived file rebuilt from the log
// and compared, under 30 s; peak RSS under 512 MB. `--status any` releases every datapoint (1M votes).
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { report, runChild } from "./support/child";
import { machineLine, mb, rate, ratio, seconds, verdict } from "./support/measure";

type Figures = {
  bytes: number;
  seconds: number;
  /** The log check alone: files hashed, signatures, chain, Merkle roots, tallies recomputed. */
  logSeconds?: number;
  peakRss: number;
  cpuSeconds: number;
  events?: number;
  checkpoints?: number;
  decisions?: number;
  findings?: string[];
};

const SCRIPT = "bench/verify-release.ts";
// The children load nothing but what they measure (the database code stays in the parent), so
// the verifier's process holds what `npm run verify` holds.
const role = parseArgs({ options: { role: { type: "string" } }, strict: false }).values.role;

/** Peak RSS (ru_maxrss) and CPU time (user + system, every thread) of this process so far. */
function usage(): { peakRss: number; cpuSeconds: number } {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { peakRss: maxRSS * 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6 };
}

if (role === "sha256") {
  const dir = process.env.BENCH_RELEASE_DIR!;
  const started = performance.now();
  let bytes = 0;
  for (const name of readdirSync(dir).sort()) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path.join(dir, name))) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).byteLength;
    }
    hash.digest();
  }
  report({ bytes, seconds: seconds(started), ...usage() } satisfies Figures);
}

if (role === "verify") {
  const { openRelease } = await import("@/lib/verifier/source");
  const { verifyRelease } = await import("@/lib/verifier/verify");
  const dir = process.env.BENCH_RELEASE_DIR!;
  const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
  const before = usage().cpuSeconds;
  const started = performance.now();
  let logSeconds = 0;
  const result = await verifyRelease(await openRelease(dir), {
    onPhase: (phase) => void (phase === "log" && (logSeconds = seconds(started))),
  });
  const time = seconds(started);
  const { peakRss, cpuSeconds } = usage();
  report({
    bytes,
    seconds: time,
    logSeconds,
    peakRss,
    cpuSeconds: cpuSeconds - before,
    events: result.events,
    checkpoints: result.checkpoints,
    decisions: result.decisions,
    findings: result.findings.slice(0, 5).map((f) => `${f.seq ?? f.file}: ${f.code}`),
  } satisfies Figures);
}

/** Baseline and verification of the release in `releaseDir`, each in a process of its own. */
async function measure(releaseDir: string): Promise<void> {
  const env = { BENCH_RELEASE_DIR: releaseDir };
  await runChild<Figures>(SCRIPT, "sha256", env); // warm the page cache for both
  const load = os.loadavg()[0]!.toFixed(2);
  const baseline = await runChild<Figures>(SCRIPT, "sha256", env);
  const verified = await runChild<Figures>(SCRIPT, "verify", env);
  console.log(`load before the baseline: ${load}; after the verification: ${os.loadavg()[0]!.toFixed(2)}`);
  console.log(
    `baseline SHA-256 of the release's bytes: ${mb(baseline.bytes)} in ${baseline.seconds.toFixed(2)} s (${mb(baseline.bytes / baseline.seconds)}/s), peak RSS ${mb(baseline.peakRss)}`,
  );
  console.log(
    `verifyRelease: ${verified.events!.toLocaleString("en")} events (${rate(verified.events!, verified.seconds)} events/s), ` +
      `${verified.checkpoints} checkpoints, ${verified.decisions} decisions recomputed; log checked in ${verified.logSeconds!.toFixed(2)} s, ` +
      `every derived file rebuilt and compared by ${verified.seconds.toFixed(2)} s ` +
      `(CPU ${verified.cpuSeconds.toFixed(1)} s over ${os.availableParallelism()} cores), ` +
      `peak RSS ${mb(verified.peakRss)}, findings: ${verified.findings!.length ? verified.findings!.join("; ") : "none"}`,
  );
  console.log(`ratio to baseline: ${ratio(verified.seconds, baseline.seconds)} the time`);
  const clean = verified.findings!.length === 0;
  console.log(`goal log check < 10 s: ${verdict(verified.logSeconds! < 10 && clean)}`);
  console.log(`goal whole verification < 30 s: ${verdict(verified.seconds < 30 && clean)}`);
  console.log(`goal peak RSS < 512 MB: ${verdict(verified.peakRss < 512 * 2 ** 20)}`);
}

const { benchArgs, benchDatabase } = await import("./support/database");
const args = benchArgs({ role: undefined, release: undefined, runs: "1", status: "FINALIZED" });
console.log(machineLine());
const runs = Number(args.option("runs"));
const existing = args.option("release");
if (existing) {
  console.log(`release: ${path.resolve(existing)} (written earlier; no database)`);
  for (let run = 0; run < runs; run++) await measure(existing);
  process.exit(0);
}
const database = await benchDatabase(args.scale, args.fresh);
console.log(`scale: ${database.scale}`);
const dir = mkdtempSync(path.join(os.tmpdir(), "plenary-bench-release-"));
try {
  const { writeRelease } = await import("@/lib/exports/release");
  const { filtersOf } = await import("@/lib/exports/schema");
  const releaseDir = path.join(dir, "release");
  const started = performance.now();
  // --status any: every published datapoint, so votes.jsonl holds every current vote (1M at full scale).
  const status = args.option("status") === "any" ? "any" : "FINALIZED";
  console.log(`filters: status=${status}`);
  const written = await writeRelease(releaseDir, filtersOf({ status }));
  if (!written.ok) throw new Error(written.message);
  const writeTime = seconds(started);
  const files = written.manifest.files.map((f) => `${f.name} ${mb(f.bytes)}`).join(", ");
  console.log(
    `writeRelease: ${written.manifest.asOfSeq.toLocaleString("en")} events in ${writeTime.toFixed(1)} s (${files})`,
  );
  for (let run = 0; run < runs; run++) await measure(releaseDir);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await database.stop();
}
process.exit(0);
