// A worker thread of the offline verifier: checks chunks of audit.jsonl (trail-lines.ts) and
// sends the reports back, their arrays transferred rather than copied. The verifier is
// TypeScript run through tsx; a worker thread registers tsx itself, with the project's
// tsconfig for the "@/" paths, so it loads the same way under the CLI, vitest and the benchmarks.
// The packages it uses are imported first, by Node itself: through tsx's loader their many
// modules would take a large part of the worker's start-up.
import "canonicalize";
import "zod";
import { fileURLToPath } from "node:url";
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { checkLines } = await import("./trail-lines.ts");

let kept = new Set();
let summarised = new Set();
parentPort.on("message", (message) => {
  if (message.kept) {
    kept = new Set(message.kept);
    summarised = new Set(message.summarised);
    return;
  }
  const report = checkLines(message.chunk, kept, summarised);
  parentPort.postMessage({ id: message.id, report }, [
    report.flags.buffer,
    report.seqs.buffer,
    report.hashes.buffer,
    report.votes.fingerprints.buffer,
  ]);
});
parentPort.postMessage({ ready: true });
