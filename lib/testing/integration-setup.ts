// Runs before each integration test file: a private database for the file, so files can
// run in parallel and each sees a gapless audit log of its own.
import { afterAll, inject } from "vitest";
import { toDatabaseUrl } from "@/lib/database/connection";
import { createTestDatabase } from "./server";

const database = await createTestDatabase(inject("testServer"));
process.env.DATABASE_URL = toDatabaseUrl(database.connection);
process.env.PLENARY_DB_POOL ??= "5";

afterAll(async () => {
  const holder = globalThis as {
    plenaryDb?: { $disconnect(): Promise<void> };
    plenarySequencerPool?: { end(): Promise<void> };
  };
  await holder.plenaryDb?.$disconnect();
  await holder.plenarySequencerPool?.end();
  await database.drop();
});
