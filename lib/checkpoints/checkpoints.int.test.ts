import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { readEvents } from "@/lib/audit/data";
import { fromHex, toHex } from "@/lib/audit/hash";
import { consistencyProof, inclusionProof, subtreeRoot, verifyConsistency, verifyInclusion } from "@/lib/audit/merkle";
import { db } from "@/lib/db";
import { verifyCheckpoint } from "./format";
import { createCheckpoint } from "./mutations";
import { noteVerifier } from "./note";
import { consistencyProofOf, inclusionProofOf, treeRoot } from "./tree";
import { GET as checkpointResponse } from "@/app/api/log/checkpoint/route";
import { GET as entriesResponse } from "@/app/api/log/entries/route";
import { GET as consistencyProofResponse } from "@/app/api/log/proof/consistency/route";
import { GET as inclusionProofResponse } from "@/app/api/log/proof/inclusion/route";
import { callRoute, type RouteHandler } from "@/lib/testing/routes";

const ORIGIN = "plenary.test/log";
const privateKey = generateKeyPairSync("ed25519").privateKey;
const signer = { name: ORIGIN, privateKey };
const verifier = noteVerifier(ORIGIN, privateKey);

async function appendUsers(count: number): Promise<void> {
  for (let done = 0; done < count; done += 100) {
    await db.$transaction(async (tx) => {
      for (let i = done; i < Math.min(done + 100, count); i++) {
        await appendEvent(tx, {
          type: "user.created",
          actorId: null,
          userId: crypto.randomUUID(),
          pseudonym: `calm-otter-${i}`,
          verificationTier: 0,
        });
      }
    });
  }
}

async function storedLeaves(): Promise<Uint8Array[]> {
  return (await readEvents(0n, 100_000)).map((e) => e.leafHash);
}

/** The signed root of a checkpoint, taken from its note after checking the signature. */
function signedRoot(note: string, treeSize: number): Uint8Array {
  const opened = verifyCheckpoint(note, verifier);
  if (!opened.ok) throw new Error(opened.reason);
  expect(opened.checkpoint.treeSize).toBe(BigInt(treeSize));
  return opened.checkpoint.rootHash;
}

const get = async (respond: RouteHandler, query: string) => {
  const response = await callRoute(respond, `/api/log?${query}`);
  return {
    status: response.status,
    cache: response.headers.get("cache-control"),
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
};

describe("checkpoints against PostgreSQL", () => {
  it("signs nothing while the log is empty", async () => {
    expect(await createCheckpoint({ signer })).toEqual({ created: false, reason: "EMPTY_LOG", checkpoint: null });
    for (const respond of [checkpointResponse, inclusionProofResponse]) {
      const { status, body } = await get(respond, "seq=1");
      expect([status, body.detail]).toEqual([
        404,
        "No checkpoint has been signed yet; proofs are served against signed checkpoints.",
      ]);
    }
  });

  it("signs the RFC 9162 root of the stored leaves, once per tree size", async () => {
    await appendUsers(600);
    const outcome = await createCheckpoint({ signer });
    expect(outcome.created).toBe(true);
    const checkpoint = outcome.checkpoint!;
    expect(checkpoint.treeSize).toBe(600n);
    const leaves = await storedLeaves();
    expect(toHex(signedRoot(checkpoint.note, 600))).toBe(toHex(subtreeRoot(leaves)));
    expect(toHex(checkpoint.rootHash)).toBe(toHex(subtreeRoot(leaves)));
    expect(checkpoint.keyId).toBe(toHex(verifier.keyId));
    expect(await db.merkleBlock.count()).toBe(2);
    expect(await createCheckpoint({ signer })).toMatchObject({ created: false, reason: "UP_TO_DATE" });

    const served = await get(checkpointResponse, "");
    expect(served).toMatchObject({ status: 200, cache: "no-cache" });
    expect(served.body).toEqual({
      origin: ORIGIN,
      treeSize: 600,
      rootHash: toHex(checkpoint.rootHash),
      timestamp: checkpoint.timestamp.toISOString(),
      keyId: toHex(verifier.keyId),
      note: checkpoint.note,
    });
    expect((await get(checkpointResponse, "treeSize=600")).cache).toBe("public, max-age=31536000, immutable");
  });

  it("computes roots and proofs from cached blocks exactly as from all the leaves", async () => {
    const leaves = await storedLeaves();
    for (const size of [1, 255, 256, 257, 511, 512, 513, 600]) {
      expect(toHex(await treeRoot(size)), `root ${size}`).toBe(toHex(subtreeRoot(leaves.slice(0, size))));
    }
    for (const [index, size] of [
      [0, 600],
      [255, 600],
      [256, 600],
      [511, 513],
      [599, 600],
      [300, 512],
    ] as const) {
      expect((await inclusionProofOf(index, size)).map(toHex)).toEqual(inclusionProof(leaves, index, size).map(toHex));
    }
    for (const [first, second] of [
      [1, 600],
      [256, 600],
      [257, 513],
      [300, 600],
      [512, 600],
      [599, 600],
    ] as const) {
      expect((await consistencyProofOf(first, second)).map(toHex)).toEqual(
        consistencyProof(leaves, first, second).map(toHex),
      );
    }
  });

  it("serves inclusion proofs that verify against the signed root", async () => {
    const latest = await db.checkpoint.findFirstOrThrow({ orderBy: { treeSize: "desc" } });
    const root = signedRoot(latest.note, 600);
    for (const seq of [1, 2, 255, 256, 257, 300, 512, 513, 599, 600]) {
      const { status, body, cache } = await get(inclusionProofResponse, `seq=${seq}`);
      expect(status).toBe(200);
      expect(cache).toBe("no-cache");
      const claim = {
        index: body.leafIndex,
        size: body.treeSize,
        leafHash: fromHex(body.leafHash),
        proof: body.proof.map(fromHex),
        root,
      };
      expect(verifyInclusion(claim), `seq ${seq}`).toEqual({ ok: true });
      expect(verifyInclusion({ ...claim, leafHash: fromHex(body.proof[0]) }).ok).toBe(false);
    }
    const fixed = await get(inclusionProofResponse, "seq=7&treeSize=600");
    expect(fixed.cache).toBe("public, max-age=31536000, immutable");
  });

  it("serves consistency proofs between signed checkpoints", async () => {
    await appendUsers(100);
    const outcome = await createCheckpoint({ signer });
    expect(outcome).toMatchObject({ created: true, checkpoint: { treeSize: 700n } });
    const older = await db.checkpoint.findUniqueOrThrow({ where: { treeSize: 600n } });
    const { status, body, cache } = await get(consistencyProofResponse, "first=600&second=700");
    expect([status, cache]).toEqual([200, "public, max-age=31536000, immutable"]);
    const claim = {
      first: 600,
      second: 700,
      firstRoot: signedRoot(older.note, 600),
      secondRoot: signedRoot(outcome.checkpoint!.note, 700),
      proof: body.proof.map(fromHex),
    };
    expect(verifyConsistency(claim)).toEqual({ ok: true });
    expect(verifyConsistency({ ...claim, firstRoot: claim.secondRoot }).ok).toBe(false);
    expect((await get(consistencyProofResponse, "first=700")).body).toMatchObject({
      first: 700,
      second: 700,
      proof: [],
    });
  });

  it("serves entries by seq range, capped at 1,000", async () => {
    const page = await get(entriesResponse, "from=650&to=800");
    expect([page.status, page.cache, page.body.from, page.body.to, page.body.entries.length]).toEqual([
      200,
      "no-cache",
      650,
      700,
      51,
    ]);
    const first = page.body.entries[0];
    expect(first).toMatchObject({ seq: 650, type: "user.created" });
    expect(JSON.parse(first.body)).toMatchObject({ type: "user.created", pseudonym: "calm-otter-49" });
    const capped = await get(entriesResponse, "from=1&to=5000");
    expect(capped.body.entries).toHaveLength(700);
    const full = await get(entriesResponse, "from=1&to=10");
    expect([full.body.entries.length, full.cache]).toEqual([10, "public, max-age=31536000, immutable"]);
  });

  it("answers bad input with 400 and unknown sizes with 404, as problem+json", async () => {
    const cases: [RouteHandler, string, number, RegExp][] = [
      [inclusionProofResponse, "", 400, /seq is required/],
      [inclusionProofResponse, "seq=abc", 400, /seq must be a whole number/],
      [inclusionProofResponse, "seq=0", 400, /seq must be a whole number/],
      [inclusionProofResponse, "seq=1&seq=2", 400, /more than once/],
      [inclusionProofResponse, "seq=99999999999999999", 400, /too large|whole number/],
      [inclusionProofResponse, "seq=601&treeSize=600", 400, /not inside a tree of size 600/],
      [inclusionProofResponse, "seq=701", 404, /not covered by a checkpoint yet/],
      [inclusionProofResponse, "seq=1&treeSize=650", 404, /No checkpoint has tree size 650/],
      [consistencyProofResponse, "first=700&second=600", 400, /first must not be larger/],
      [consistencyProofResponse, "first=650", 404, /No checkpoint has tree size 650/],
      [consistencyProofResponse, "first=800", 404, /latest covers 700 events/],
      [entriesResponse, "from=701", 404, /the log has 700 events/],
      [entriesResponse, "from=5&to=4", 400, /from must not be larger/],
    ];
    for (const [respond, query, status, detail] of cases) {
      const response = await get(respond, query);
      expect([response.status, response.type], query).toEqual([status, "application/problem+json"]);
      expect(response.body).toMatchObject({ type: "about:blank", status, detail: expect.stringMatching(detail) });
    }
  });

  it("keeps checkpoints and cached blocks append-only", async () => {
    const updates = { checkpoints: "note = note", merkle_blocks: "hash = hash" };
    for (const [table, assignment] of Object.entries(updates)) {
      await expect(db.$executeRawUnsafe(`UPDATE ${table} SET ${assignment}`)).rejects.toThrow(/append-only/);
      await expect(db.$executeRawUnsafe(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(db.$executeRawUnsafe(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    }
    expect(await db.checkpoint.count()).toBe(2);
  });

  it("refuses to sign a log whose signed part was altered", async () => {
    // Seq 650 lies in a block that was not complete when size 700 was signed.
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await tx.$executeRawUnsafe(`UPDATE audit_events SET leaf_hash = sha256(leaf_hash) WHERE seq = 650`);
      await tx.$executeRawUnsafe(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    });
    await appendUsers(5);
    await expect(createCheckpoint({ signer })).rejects.toThrow(
      /Refusing to sign the audit log at size 705: it does not extend the checkpoint of size 700/,
    );
    expect(await db.checkpoint.count()).toBe(2);
  });
});
