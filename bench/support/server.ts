// The production server a benchmark sends requests to, on a free port against the bench
// database. When the build in .next is current, scripts/start.ts serves it, as in
// production. When it is not (the fingerprint covers every source, and others edit them),
// start.ts would rebuild, so the same `next start` it runs is started directly with the same
// environment: the build is served as it is, and no second `next build` can collide with
// someone else's. Without a build at all the benchmark stops and says so.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "@/lib/runtime/ports";
import { buildIsCurrent, sourceFingerprint } from "@/lib/runtime/build";
import { loadOrCreateCheckpointKey } from "@/lib/runtime/checkpoint-key";
import { SERVER_NODE_FLAGS } from "@/lib/runtime/node-flags";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";
import { dataDir } from "@/lib/env";
import { runningNextBuilds } from "./measure";

export type BenchServer = { origin: string; how: string; stop: () => Promise<void> };

/** `nodeFlags` go to the server process (after SERVER_NODE_FLAGS) when it is `next start` (e.g. --cpu-prof for profiling). */
export async function startBenchServer(databaseUrl: string, nodeFlags: string[] = []): Promise<BenchServer> {
  const builds = runningNextBuilds();
  if (builds.length)
    throw new Error(`another \`next build\` is running (${builds.join("; ")}); run the benchmark when it has finished`);
  if (!existsSync(path.join(".next", "BUILD_ID")))
    throw new Error("no build in .next: run `npm run build` first (when no other `next build` runs)");
  const port = await freePort();
  const secrets = loadOrCreateSecrets(dataDir());
  const key = loadOrCreateCheckpointKey();
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    PLENARY_SEED: "0",
    PLENARY_DEMO: "0",
    NEXTAUTH_SECRET: secrets.nextauthSecret,
    NEXTAUTH_URL: `http://localhost:${port}`,
    PLENARY_CHECKPOINT_KEY_FILE: key.file,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  let child: ChildProcess;
  let how: string;
  const current = buildIsCurrent(sourceFingerprint());
  // Flags for the server's own Node process need it started directly.
  if (current && nodeFlags.length === 0) {
    child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    how = "scripts/start.ts (the build in .next is current)";
  } else {
    const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
    child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeFlags, next, "start", "-p", String(port)], {
      env: { ...env, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    how = `\`next start\` as scripts/start.ts runs it (${current ? `node flags ${nodeFlags.join(" ")}` : "the build in .next is older than the sources, and start.ts would rebuild"})`;
  }
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM"); // the server's own process group, which we started
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  };
  try {
    await waitForServer(`${origin}/signin/check-email`, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, how, stop };
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer ${url} within two minutes`);
}
