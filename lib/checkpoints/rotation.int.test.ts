// `npm run key:rotate` on a real log: releases before and after the rotation verify, the later
// one as a continuation of the earlier, and a key pinned before the rotation still pins it.
import { spawnSync } from "node:child_process";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decidedBatch, signWithTestCheckpointKey, temporaryDir } from "@/lib/exports/fixtures";
import { writeRelease } from "@/lib/exports/release";
import { filtersOf } from "@/lib/exports/schema";
import { openRelease } from "@/lib/verifier/source";
import { verifyRelease } from "@/lib/verifier/verify";
import { createCheckpoint } from "./mutations";
import { noteVerifier } from "./note";

const ORIGIN = "plenary.rotation-test/log";
const keyFile = signWithTestCheckpointKey(ORIGIN);
const root = temporaryDir("plenary-rotation-");

async function release(name: string): Promise<string> {
  await createCheckpoint();
  const written = await writeRelease(path.join(root, name), filtersOf({}));
  if (!written.ok) throw new Error(written.message);
  return written.dir;
}

describe("rotating the checkpoint key", () => {
  it("hands the log over to the new key, and releases across the rotation verify as one log", async () => {
    const oldKey = noteVerifier(ORIGIN, createPrivateKey(readFileSync(keyFile, "utf8")));
    await decidedBatch({ pairwise: ["A", "A", "A", "A", "B"] });
    const before = await release("before");

    const next = path.join(root, "next.pem");
    writeFileSync(next, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }));
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/rotate-key.ts", "--new", next], {
      encoding: "utf8",
      env: process.env,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/handed it to [0-9a-f]{8}/);
    expect(readFileSync(`${keyFile}.rotations.jsonl`, "utf8").trim().split("\n")).toHaveLength(1);
    const again = spawnSync(process.execPath, ["--import", "tsx", "scripts/rotate-key.ts", "--new", keyFile], {
      encoding: "utf8",
      env: process.env,
    });
    expect([again.status, again.stderr]).toEqual([
      2,
      expect.stringMatching(/^key:rotate: the new key is the key in use\.\n$/),
    ]);

    await decidedBatch({ pairwise: ["B", "B", "B", "A", "B"] });
    const after = await release("after");
    const newKey = noteVerifier(ORIGIN, createPrivateKey(readFileSync(keyFile, "utf8")));
    expect(Buffer.from(newKey.publicKey).equals(Buffer.from(oldKey.publicKey))).toBe(false);

    expect((await verifyRelease(await openRelease(before))).findings).toEqual([]);
    const continued = await verifyRelease(await openRelease(after), { previous: await openRelease(before) });
    expect(continued.findings).toEqual([]);
    expect(continued.checkpoints).toBeGreaterThanOrEqual(3);
    const pinnedOld = await verifyRelease(await openRelease(after), { key: oldKey });
    expect(pinnedOld).toMatchObject({ findings: [], trust: { pinned: true, fingerprint: expect.any(String) } });
    expect(pinnedOld.trust.verifier.publicKey).toEqual(newKey.publicKey);
    // Without the rotation notes the old key's checkpoints no longer verify with the new key.
    const manifestFile = path.join(after, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { keyRotations: string[] };
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, keyRotations: [] }));
    const codes = (await verifyRelease(await openRelease(after), { previous: await openRelease(before) })).findings.map(
      (f) => f.code,
    );
    expect(codes).toEqual(expect.arrayContaining(["CHECKPOINT_SIGNATURE", "PREVIOUS_KEY_CHANGED"]));
  }, 180_000);
});
