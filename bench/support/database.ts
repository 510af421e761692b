// The database a benchmark runs against. With DATABASE_URL: that database, which must already
// hold a seed:large history. Without: an embedded PostgreSQL in a data directory under the
// system's temporary directory (one per scale), created, migrated and filled by seed:large on
// first use and kept for later runs (pass --fresh to make it again). The checkpoint key lives
// in that directory too, so the benchmark never touches the project's .data.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDatabaseUrl, toDatabaseUrl, type PgConnection } from "@/lib/database/connection";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrations";
import { freePort } from "@/lib/runtime/ports";
import { createProgress } from "@/lib/runtime/progress";
import { largeSeedOptions, SCALES } from "@/lib/imports/seed/large-options";

export type Scale = keyof typeof SCALES;
export type BenchDatabase = {
  connection: PgConnection;
  url: string;
  scale: Scale | "DATABASE_URL";
  dataDir: string | null;
  stop: () => Promise<void>;
};

/** Bump when the seed's story changes, so kept databases are made again. */
const SEED_VERSION = 1;
const PASSWORD = "plenary-bench-password";

/** --scale small|full (default full), --fresh, and the benchmark's own string options. */
export function benchArgs(extra: Record<string, string | undefined> = {}) {
  const options: Record<string, { type: "string"; default?: string }> = {};
  for (const [name, fallback] of Object.entries(extra))
    options[name] = fallback === undefined ? { type: "string" } : { type: "string", default: fallback };
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "full" }, fresh: { type: "boolean", default: false }, ...options },
  });
  const scale = values.scale as string;
  if (scale !== "small" && scale !== "full") throw new Error(`--scale is small or full, not "${scale}"`);
  return {
    scale: scale as Scale,
    fresh: values.fresh === true,
    option: (name: string) => (values as Record<string, string | boolean | undefined>)[name] as string | undefined,
  };
}

export async function benchDatabase(scale: Scale, fresh = false): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    console.log(`database: DATABASE_URL (expected to hold a seed:large history; --scale is ignored)`);
    return {
      connection: parseDatabaseUrl(external),
      url: external,
      scale: "DATABASE_URL",
      dataDir: null,
      stop: async () => {},
    };
  }
  const dir = path.join(os.tmpdir(), `plenary-bench-${scale}`);
  const marker = path.join(dir, "seeded.json");
  const wanted = JSON.stringify({ version: SEED_VERSION, scale, counts: SCALES[scale] });
  const reuse = !fresh && existsSync(marker) && readFileSync(marker, "utf8") === wanted;
  if (!reuse) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // the server may run as the `postgres` user
  // The checkpoint key and dev secrets of this database live beside it.
  process.env.PLENARY_DATA_DIR = dir;
  delete process.env.PLENARY_CHECKPOINT_KEY_FILE;
  const server = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    password: PASSWORD,
    database: "plenary",
  });
  const connection = server.connection;
  const url = toDatabaseUrl(connection);
  process.env.DATABASE_URL = url;
  const stop = () => Promise.race([server.stop(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  try {
    // A kept database gets the migrations added since it was made (an index, say).
    const { applied } = await applyMigrations(connection);
    if (applied.length) console.log(`database: applied migrations ${applied.join(", ")}`);
    if (reuse) {
      console.log(
        `database: embedded, ${scale} scale, kept in ${dir} (seeded earlier by seed:large; --fresh makes it again)`,
      );
      return { connection, url, scale, dataDir: dir, stop };
    }
    const { seedLarge } = await import("@/lib/imports/seed/large");
    const progress = createProgress(process.stderr, `seed:large (${scale})`, "events");
    const report = await seedLarge(largeSeedOptions(SCALES[scale]), connection, (done, total) =>
      progress.update(done, total),
    );
    progress.finish();
    console.log(
      `database: embedded, ${scale} scale, seeded now by seed:large in ${report.seconds.toFixed(1)} s ` +
        `(${report.events.toLocaleString("en")} events, head seq ${report.headSeq}), kept in ${dir}`,
    );
    writeFileSync(marker, wanted);
  } catch (error) {
    await stop();
    throw error;
  }
  return { connection, url, scale, dataDir: dir, stop };
}
