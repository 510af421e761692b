// A release to verify: a directory written by `npm run export`, or a site's manifest URL
// (files are then fetched from the paths the manifest names). Reading only; no database.
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { open as openFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { z } from "zod";

const manifestSchema = z.object({
  asOfSeq: z.number().int().min(0),
  filters: z.record(z.string(), z.unknown()).optional(),
  checkpoint: z.object({
    origin: z.string(),
    treeSize: z.number().int(),
    rootHash: z.string(),
    note: z.string(),
    timestamp: z.unknown().optional(),
    keyId: z.unknown().optional(),
  }),
  checkpointKey: z
    .object({ file: z.string(), keyName: z.string(), keyId: z.string().optional(), verifierKey: z.string().optional() })
    .nullable(),
  policies: z.unknown().optional(),
  files: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      sha256: z.string(),
      bytes: z.number(),
      rows: z.number().nullable(),
    }),
  ),
  /** The log's key rotations (lib/checkpoints/rotation.ts), oldest first; each signed by the key it retires. */
  keyRotations: z.array(z.string()).optional(),
  /** The signed statement (lib/checkpoints/release.ts); absent or null: an unsigned release. */
  signedRelease: z.string().nullable().optional(),
});
type ReleaseManifest = z.infer<typeof manifestSchema>;

/** The input cannot be used at all (exit code 2), as opposed to a mismatch found in it. */
export class UnusableInput extends Error {}

export type Release = {
  manifest: ReleaseManifest;
  describe: string;
  /** The raw bytes of a file, as a stream (for hashing and line reading); `chunkBytes` is a hint. */
  open(name: string, options?: { chunkBytes?: number }): Promise<NodeJS.ReadableStream>;
  has(name: string): boolean;
  /** Random access to a file's bytes (a Parquet reader needs it); a URL's file is fetched whole. */
  buffer(name: string): Promise<{ byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> }>;
  /** The files a directory holds besides manifest.json; null for a URL, which lists none. */
  names(): string[] | null;
};

export async function openRelease(source: string): Promise<Release> {
  return /^https?:\/\//.test(source) ? openUrl(source) : openDirectory(source);
}

function parseManifest(text: string, where: string): ReleaseManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnusableInput(`${where} is not JSON.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new UnusableInput(
      `${where} is not a Plenary release manifest (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}).`,
    );
  return parsed.data;
}

function openDirectory(dir: string): Release {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file))
    throw new UnusableInput(`${dir} holds no manifest.json; give a release directory written by \`npm run export\`.`);
  const manifest = parseManifest(readFileSync(file, "utf8"), file);
  return {
    manifest,
    describe: path.resolve(dir),
    has: (name) => existsSync(path.join(dir, name)),
    names: () => readdirSync(dir).filter((name) => name !== "manifest.json"),
    buffer: async (name) => {
      const target = path.join(dir, name);
      if (!existsSync(target)) throw new UnusableInput(`${target} is missing from the release.`);
      const size = statSync(target).size;
      return {
        byteLength: size,
        slice: async (start, end = size) => {
          const bytes = Buffer.alloc(Math.max(0, Math.min(end, size) - start));
          const handle = await openFile(target);
          try {
            await handle.read(bytes, 0, bytes.length, start);
          } finally {
            await handle.close();
          }
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
        },
      };
    },
    open: async (name, options) => {
      const target = path.join(dir, name);
      if (!existsSync(target)) throw new UnusableInput(`${target} is missing from the release.`);
      return createReadStream(target, { highWaterMark: options?.chunkBytes });
    },
  };
}

async function openUrl(url: string): Promise<Release> {
  const get = async (target: string) => {
    let response: Response;
    try {
      response = await fetch(target);
    } catch (error) {
      throw new UnusableInput(`Cannot fetch ${target}: ${(error as Error).message}.`);
    }
    if (!response.ok || !response.body) throw new UnusableInput(`${target} answered HTTP ${response.status}.`);
    return response;
  };
  const manifest = parseManifest(await (await get(url)).text(), url);
  const byName = new Map(manifest.files.map((f) => [f.name, new URL(f.path, url).toString()]));
  return {
    manifest,
    describe: url,
    has: (name) => byName.has(name),
    names: () => null,
    buffer: async (name) => {
      const target = byName.get(name);
      if (!target) throw new UnusableInput(`The manifest at ${url} names no file ${name}.`);
      const bytes = await (await get(target)).arrayBuffer();
      return { byteLength: bytes.byteLength, slice: async (start, end) => bytes.slice(start, end) };
    },
    open: async (name) => {
      const target = byName.get(name);
      if (!target) throw new UnusableInput(`The manifest at ${url} names no file ${name}.`);
      return Readable.fromWeb((await get(target)).body as never);
    },
  };
}

/** The lines of a file, one at a time (constant memory). */
export async function* linesOf(release: Release, name: string): AsyncGenerator<string> {
  const lines = createInterface({ input: await release.open(name), crlfDelay: Infinity });
  for await (const line of lines) if (line !== "") yield line;
}

export async function textOf(release: Release, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await release.open(name)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
