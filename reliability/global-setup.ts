// Once per run, before any test starts a server: make sure a production build of the current
// sources exists, the same check scripts/start.ts makes, so every server the tests start (and
// restart) reuses it instead of building on its own.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { buildIsCurrent, recordBuild, sourceFingerprint } from "@/lib/runtime/build";

export default function setup() {
  const fingerprint = sourceFingerprint();
  if (buildIsCurrent(fingerprint)) return;
  console.log("reliability: building the app once for this run (next build)…");
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    // Collecting page data loads lib/db, which reads DATABASE_URL on import; every page is
    // dynamic, so nothing connects to it during the build.
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://build@127.0.0.1:9/unused", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status})`);
  recordBuild(fingerprint);
}
