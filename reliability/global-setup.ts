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
    // No DATABASE_URL needed: the build connects to nothing (lib/db.ts).
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit code ${result.status})`);
  recordBuild(fingerprint);
}
