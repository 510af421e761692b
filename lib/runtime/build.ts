// "Build the app if no current build exists": a build is current when it was made from
// exactly the sources on disk now, judged by a content fingerprint stored beside it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "prisma/schema.prisma", "proxy.ts", "instrumentation.ts"];
const CONFIG_FILES = [
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "tsconfig.app.json",
  "package-lock.json",
];
const SKIP = new Set(["node_modules", "generated", ".next"]);
const STAMP = path.join(".next", "plenary-source-fingerprint");

export function sourceFingerprint(root = process.cwd()): string {
  const hash = createHash("sha256");
  const files: string[] = [];
  for (const entry of [...SOURCES, ...CONFIG_FILES]) collect(path.join(root, entry), files);
  for (const file of files.sort()) {
    if (/\.test\.tsx?$/.test(file)) continue; // tests are not part of the build
    hash.update(path.relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function buildIsCurrent(fingerprint: string, root = process.cwd()): boolean {
  const stamp = path.join(root, STAMP);
  return (
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8").trim() === fingerprint
  );
}

export function recordBuild(fingerprint: string, root = process.cwd()): void {
  writeFileSync(path.join(root, STAMP), fingerprint + "\n");
}

function collect(target: string, into: string[]): void {
  if (!existsSync(target)) return;
  if (statSync(target).isFile()) return void into.push(target);
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) collect(full, into);
    else if (entry.isFile()) into.push(full);
  }
}
