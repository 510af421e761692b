#!/usr/bin/env node
// `npx plenary-verify <release>`: runs scripts/verify.ts under tsx (the code is TypeScript). The
// verifier's worker threads register tsx themselves (lib/verifier/trail-worker.mjs).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = createRequire(import.meta.url).resolve("tsx");
const result = spawnSync(
  process.execPath,
  ["--import", tsx, path.join(root, "scripts/verify.ts"), ...process.argv.slice(2)],
  {
    stdio: "inherit",
    cwd: root,
  },
);
process.exit(result.status ?? 2);
