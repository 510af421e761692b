// Factories for e2e tests: each call makes its own unique data in the e2e server's database
// by running a fixture script through the real services (no database reset between tests).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The e2e server's database and checkpoint key, so fixtures write and sign as the server does. */
function e2eServerEnv(): Record<string, string> {
  const dataDir = process.env.E2E_DATA_DIR ?? ".data-test/e2e";
  return {
    DATABASE_URL: e2eDatabaseUrl(dataDir),
    PLENARY_CHECKPOINT_KEY_FILE: path.resolve(dataDir, "checkpoint-key.pem"),
  };
}

function e2eDatabaseUrl(dataDir: string): string {
  const { postgresPassword } = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as {
    postgresPassword: string;
  };
  const port = process.env.E2E_PG_PORT ?? "55437";
  return `postgresql://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${port}/plenary`;
}

export type ClosedBatch = { slug: string; pairwise: string; rating: string; classification: string };

function runFixture(script: string): ClosedBatch {
  const out = execFileSync(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...e2eServerEnv(), PLENARY_DB_POOL: "2" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as ClosedBatch;
}

/** A batch whose voting closed, with 4:1 votes for A on its pairwise datapoint. */
export const closedBatch = () => runFixture("e2e/fixtures/closed-batch.ts");

/** A closed batch whose pairwise and rating labels a moderator finalized (each signed into a checkpoint). */
export const decidedBatch = () => runFixture("e2e/fixtures/decided-batch.ts");
