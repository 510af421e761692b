// The production server as `npm start` runs it (scripts/start.ts: migrations, demo seed, a
// build only when stale, then `next start`), against the test's own PostgreSQL, on a free
// port with a temporary data directory. It runs in a process group of its own so a test can
// SIGKILL the whole server (start script and Next) at once, as a crash would.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/lib/runtime/ports";
import type { TestDatabase } from "./database";

export type AppOptions = { env?: Record<string, string> };

export type App = {
  url: string;
  port: number;
  /** PLENARY_DATA_DIR: its secrets and checkpoint key, which a second instance of the same site shares. */
  dataDir: string;
  /** The start script's pid (the process group's leader); changes on restart. */
  pid: () => number;
  /** The last lines the server printed, for failure messages. */
  output: () => string;
  /** Sends `signal` to every process of the server. */
  kill: (signal: NodeJS.Signals) => Promise<void>;
  /** Starts the server again on the same port and data directory. */
  restart: () => Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its data directory. */
  dispose: () => Promise<void>;
};

const READY_TIMEOUT_MS = 180_000;

export async function startApp(database: TestDatabase, options: AppOptions = {}): Promise<App> {
  mkdirSync(".data-test", { recursive: true });
  const dataDir = mkdtempSync(path.join(process.cwd(), ".data-test", "reliability-app-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const lines: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...withoutTestRunnerVariables(process.env),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    PORT: String(port),
    PLENARY_DATA_DIR: dataDir,
    PLENARY_SEED: "1",
    PLENARY_DEMO: "1",
    NEXTAUTH_URL: url,
    // The per-address API limit would throttle a load test that comes from one address;
    // the rate-limit test turns it back on with its own numbers.
    PLENARY_API_RATE_PER_MINUTE: "0",
    ...options.env,
  };

  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        lines.push(...chunk.split("\n").filter(Boolean));
        if (lines.length > 200) lines.splice(0, lines.length - 200);
      });
    }
    await waitUntilReady(url, child, () => lines.join("\n"));
  };
  const killGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid!, signal);
    } catch {
      return; // already gone
    }
    await exited;
    // The group's other members (Next's server) die with the signal too, or follow SIGTERM.
    await waitForGroupExit(child.pid!, signal === "SIGKILL" ? 5_000 : 20_000);
  };

  await launch();
  return {
    url,
    port,
    dataDir: env.PLENARY_DATA_DIR!,
    pid: () => child.pid!,
    output: () => lines.slice(-60).join("\n"),
    kill: killGroup,
    restart: launch,
    dispose: async () => {
      await killGroup("SIGTERM").catch(() => undefined);
      await killGroup("SIGKILL").catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (code ${child.exitCode}) before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/** Waits until no process of the group is left (signal 0 to the group fails). */
async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
}

function withoutTestRunnerVariables(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(source).filter(([key]) => !key.startsWith("VITEST") && key !== "TEST" && key !== "DATABASE_URL"),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, polling every 50 ms; past `timeoutMs` it fails naming `what`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
