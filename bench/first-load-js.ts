// First-load JavaScript of the datapoint page, from the build output in .next (no server, no
// database): the framework's root chunks (build-manifest.json `rootMainFiles`) plus every
// chunk the route's client reference manifest lists for its segments (root layout, error and
// not-found boundaries, the page), each gzipped (level 9, as Next's size report did) and
// summed. Polyfills (loaded only by browsers without ES modules) are shown apart. Baseline,
// same run: the same figure for a static page of the same app, /signin/check-email. Run with
//   npx tsx bench/first-load-js.ts        (npm run bench:js; needs `npm run build` first)
// Target: under 120 kB gzip.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { buildIsCurrent, sourceFingerprint } from "@/lib/runtime/build";
import { benchArgs } from "./support/database";
import { kb, machineLine, ratio, verdict } from "./support/measure";

const NEXT = ".next";
type Chunk = { file: string; bytes: number; gzip: number };

/** The JS chunks a route loads on its first visit, from the build's manifests. */
export function firstLoadChunks(route: string): { chunks: Chunk[]; polyfills: Chunk[] } {
  const build = JSON.parse(readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
    polyfillFiles: string[];
  };
  const manifestFile = path.join(NEXT, "server", "app", route, "page_client-reference-manifest.js");
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: is ${route} a page of this build?`);
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[<route>/page].
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } = {};
  vm.runInNewContext(readFileSync(manifestFile, "utf8"), sandbox);
  const manifest = sandbox.__RSC_MANIFEST?.[`${route === "/" ? "" : route}/page`];
  if (!manifest) throw new Error(`${manifestFile} holds no manifest for ${route}`);
  const files = new Set([...build.rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()]);
  return { chunks: [...files].map(measure), polyfills: build.polyfillFiles.map(measure) };
}

function measure(file: string): Chunk {
  const bytes = readFileSync(path.join(NEXT, file));
  return { file, bytes: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

const sum = (chunks: Chunk[], key: "bytes" | "gzip") => chunks.reduce((total, c) => total + c[key], 0);

const args = benchArgs();
console.log(machineLine());
console.log(`scale: not applicable (--scale ${args.scale} ignored: this reads the build output only)`);
if (!existsSync(path.join(NEXT, "BUILD_ID"))) {
  console.error("No build in .next: run `npm run build` first (when no other `next build` is running).");
  process.exit(1);
}
const builtAt = statSync(path.join(NEXT, "BUILD_ID")).mtime.toISOString();
console.log(
  `build: .next ${readFileSync(path.join(NEXT, "BUILD_ID"), "utf8").trim()} of ${builtAt}, ${buildIsCurrent(sourceFingerprint()) ? "current" : "older than the sources on disk"}`,
);

const page = firstLoadChunks("/datapoints/[id]");
const baseline = firstLoadChunks("/signin/check-email");
const shared = new Set(baseline.chunks.map((c) => c.file));
const line = (name: string, chunks: Chunk[]) =>
  `${name}: ${chunks.length} chunks, ${kb(sum(chunks, "gzip"))} gzip (${kb(sum(chunks, "bytes"))} raw)`;
console.log(line("baseline static page /signin/check-email", baseline.chunks));
console.log(line("datapoint page /datapoints/[id]", page.chunks));
// What every page of any App Router app loads: React DOM, the router and the bundler's runtime.
const root = new Set(
  (JSON.parse(readFileSync(path.join(NEXT, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] })
    .rootMainFiles,
);
console.log(
  line(
    "  of which the framework's root chunks (rootMainFiles)",
    page.chunks.filter((c) => root.has(c.file)),
  ),
);
console.log(
  line(
    "  of which the route's segments (layouts, boundaries, page)",
    page.chunks.filter((c) => !root.has(c.file)),
  ),
);
for (const chunk of page.chunks.filter((c) => !shared.has(c.file)).sort((a, b) => b.gzip - a.gzip)) {
  console.log(`  only on the datapoint page: ${chunk.file} ${kb(chunk.gzip)} gzip`);
}
console.log(line("polyfills (nomodule browsers only, not counted)", page.polyfills));
console.log(`ratio to baseline: ${ratio(sum(page.chunks, "gzip"), sum(baseline.chunks, "gzip"))}`);
console.log(`goal < 120 kB gzip: ${verdict(sum(page.chunks, "gzip") < 120 * 1024)}`);
