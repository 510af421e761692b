// `npm test`: typecheck, lint, format, dead code, unit, integration and e2e, in that order,
// every step run even when an earlier one fails, then one closing line with the test counts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { findChromium } from "@/lib/testing/chromium";

type Step = { name: string; command: string[]; counts?: string; before?: () => string | null };

const steps: Step[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint", command: ["npx", "eslint", "--max-warnings", "0", "."] },
  { name: "format", command: ["npx", "prettier", "--check", "."] },
  { name: "dead code", command: ["npx", "knip", "--no-progress"] },
  {
    name: "unit",
    command: [
      "npx",
      "vitest",
      "run",
      "--project",
      "unit",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/unit.json",
    ],
    counts: "test-results/unit.json",
  },
  {
    name: "integration",
    command: [
      "npx",
      "vitest",
      "run",
      "--project",
      "integration",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/integration.json",
    ],
    counts: "test-results/integration.json",
  },
  {
    name: "e2e",
    command: ["npx", "playwright", "test"],
    counts: "test-results/e2e.json",
    before: () => {
      rmSync(".data-test/e2e", { recursive: true, force: true });
      return ensureChromium();
    },
  },
];

function ensureChromium(): string | null {
  if (findChromium()) return null;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canInstall) {
    console.log("test: no Chromium found; installing Debian's chromium package…");
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    spawnSync("apt-get", ["install", "-y", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (findChromium()) return null;
  }
  return "No Chromium found: install one (Debian: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to its executable.";
}

type Counts = { passed: number; failed: number; skipped: number };

function readCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if ("numPassedTests" in report) {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  }
  const stats = report.stats; // Playwright's JSON reporter
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

const only = process.argv.slice(2);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
mkdirSync("test-results", { recursive: true });

for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  console.log(`\n── ${step.name} ──`);
  const problem = step.before?.();
  if (problem) {
    console.error(`test: ${problem}`);
    failedSteps.push(step.name);
    continue;
  }
  if (step.counts) rmSync(step.counts, { force: true });
  const result = spawnSync(step.command[0]!, step.command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const counts = step.counts ? readCounts(step.counts) : null;
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (result.status !== 0) failedSteps.push(step.name);
}

console.log(failedSteps.length ? `\ntest: failed steps: ${failedSteps.join(", ")}` : "\ntest: every step passed");
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
