// The running system one reliability test file works against: its own embedded PostgreSQL,
// the production server started by scripts/start.ts, and an open batch to vote on.
import { afterAll, beforeAll } from "vitest";
import { startApp, type App } from "./app";
import { startDatabase, type TestDatabase } from "./database";
import { services, type OpenBatch, type Services } from "./voters";

export type VotingSystem = { database: TestDatabase; app: App; s: Services; batch: OpenBatch };

/** Starts the system before the file's tests and stops it after them. */
export function votingSystemForFile(): VotingSystem {
  const system = {} as VotingSystem;
  beforeAll(async () => {
    system.database = await startDatabase();
    system.app = await startApp(system.database);
    system.s = await services(system.database);
    system.batch = await system.s.makeBatch();
  });
  afterAll(async () => {
    await system.app?.dispose();
    await system.s?.db.$disconnect();
    await system.database?.dispose();
  });
  return system;
}
