// The documented bodies against the handlers' real types. The expectTypeOf lines are checked by
// `tsc --noEmit` (npm test's typecheck): a handler whose body no longer fits its documented
// schema fails there. The imports are type-only, so no database code loads.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { checkpointJson } from "@/lib/checkpoints/api";
import type { PublishedKey } from "@/lib/checkpoints/signer";
import type { auditLine, PolicyEntry } from "@/lib/exports/files";
import type { Manifest } from "@/lib/exports/manifest";
import type { databaseHealth } from "@/lib/health/data";
import type { CastVoteResult } from "@/lib/votes/mutations";
import { RESPONSE_SCHEMAS, auditEntry, checkpoint, health, manifest, policies, publishedKey, vote } from "./schema";

describe("documented response bodies", () => {
  it("fit what the handlers build", () => {
    expectTypeOf<ReturnType<typeof checkpointJson>>().toExtend<z.input<typeof checkpoint>>();
    expectTypeOf<ReturnType<typeof auditLine>>().toExtend<z.input<typeof auditEntry>>();
    expectTypeOf<PublishedKey>().toExtend<z.input<typeof publishedKey>>();
    expectTypeOf<Record<string, PolicyEntry>>().toExtend<z.input<typeof policies>>();
    expectTypeOf<Manifest>().toExtend<z.input<typeof manifest>>();
    expectTypeOf<{ status: "ok" | "unavailable"; database: Awaited<ReturnType<typeof databaseHealth>> }>().toExtend<
      z.input<typeof health>
    >();
    expectTypeOf<Omit<Extract<CastVoteResult, { ok: true }>, "ok">>().toExtend<z.input<typeof vote>>();
  });

  it("accept a real-looking checkpoint and refuse a malformed hash", () => {
    const body = {
      origin: "plenary.local/log",
      treeSize: 3,
      rootHash: "ab".repeat(32),
      timestamp: "2026-11-27T09:00:00.000Z",
      keyId: "530d903a",
      note: "plenary.local/log\n3\nq80=\ntimestamp 1795770000000\n\n— plenary.local/log Uw2QOg==\n",
    };
    expect(checkpoint.safeParse(body).success).toBe(true);
    expect(checkpoint.safeParse({ ...body, rootHash: "AB".repeat(32) }).success).toBe(false);
  });

  it("are all named for the document's components", () => {
    expect(Object.keys(RESPONSE_SCHEMAS)).toEqual(
      expect.arrayContaining(["Problem", "Checkpoint", "Entries", "Manifest", "Health"]),
    );
  });
});
