// A release as a directory: every file of the plan plus manifest.json, for the offline
// verifier and for publishing a dataset elsewhere. Used by `npm run export -- <dir>`.
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { readLogAt } from "./data";
import { digestFile, manifestOf, planRelease, type FileEntry, type Manifest, type PlanFailure } from "./manifest";
import type { ExportFilters } from "./schema";

export type ReleaseResult =
  | { ok: true; dir: string; manifest: Manifest }
  | PlanFailure
  | { ok: false; reason: "DIRECTORY_NOT_EMPTY"; message: string };

/**
 * Writes the release of `filters` at the latest signed checkpoint (or `treeSize`) into `dir`,
 * which must be empty or absent: files left from another release would pass for this one's.
 * manifest.json is written last, so a directory with a manifest holds a complete release.
 */
export async function writeRelease(
  dir: string,
  filters: ExportFilters,
  options: { treeSize?: number } = {},
): Promise<ReleaseResult> {
  const target = path.resolve(dir);
  await mkdir(target, { recursive: true });
  if ((await readdir(target)).length > 0) {
    return {
      ok: false,
      reason: "DIRECTORY_NOT_EMPTY",
      message: `${target} is not empty; give a new or empty directory for the release.`,
    };
  }
  // Like a download: every read from one source, the read replica if it holds the cut.
  const treeSize = options.treeSize === undefined ? undefined : BigInt(options.treeSize);
  return readLogAt({ treeSize }, () => writePlanned(target, filters, options.treeSize));
}

async function writePlanned(
  target: string,
  filters: ExportFilters,
  treeSize: number | undefined,
): Promise<ReleaseResult> {
  const planned = await planRelease(filters, treeSize);
  if (!planned.ok) return planned;
  const entries: FileEntry[] = [];
  for (const file of planned.plan.files) {
    const out = createWriteStream(path.join(target, file.name), { flags: "wx" });
    try {
      entries.push(await digestFile(file, (chunk) => write(out, chunk)));
    } finally {
      out.end();
      await once(out, "close");
    }
  }
  const manifest = manifestOf(planned.plan, entries);
  // Written aside and renamed: a reader never sees half a manifest.
  const draft = path.join(target, ".manifest.json.tmp");
  await writeFile(draft, `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx" });
  await rename(draft, path.join(target, "manifest.json"));
  return { ok: true, dir: target, manifest };
}

/** Waits for the disk when the stream's buffer is full, so a large file never piles up in memory. */
async function write(out: WriteStream, chunk: Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}
