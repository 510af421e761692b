// Small measuring tools shared by the benchmarks: wall time, peak resident memory sampled
// while work runs, percentiles, and the machine line every benchmark prints first.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export const seconds = (from: number) => (performance.now() - from) / 1000;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
export const rate = (count: number, time: number) => Math.round(count / time).toLocaleString("en");
export const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
export const verdict = (met: boolean) => (met ? "met" : "NOT met");

/** Peak RSS of this process while `work` runs, sampled every 20 ms and at the end. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

/** The q-quantile (0…1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function machineLine(): string {
  const cpu =
    readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m)?.[1] ??
    os.cpus()[0]?.model ??
    "unknown CPU";
  return `machine: ${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`;
}

/** Other `next build` processes, which must not run while we build or serve .next. */
export function runningNextBuilds(): string[] {
  try {
    return execFileSync("pgrep", ["-af", "next build"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter((line) => line && !line.includes("pgrep"));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
