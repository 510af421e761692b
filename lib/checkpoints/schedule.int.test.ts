import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendEvent } from "@/lib/audit/append";
import { db } from "@/lib/db";
import { publishedKeyResponse } from "./api";
import { verifyCheckpoint } from "./format";
import { parseVerifierKey } from "./note";
import { checkpointAfterDecision, checkpointIfDue } from "./schedule";

// The configured path: a key file named by PLENARY_CHECKPOINT_KEY_FILE and the log's origin.
const keyFile = path.join(mkdtempSync(path.join(tmpdir(), "plenary-key-")), "checkpoint-key.pem");
writeFileSync(keyFile, generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }), {
  mode: 0o600,
});
process.env.PLENARY_CHECKPOINT_KEY_FILE = keyFile;
process.env.PLENARY_LOG_ORIGIN = "plenary.example/log";
process.env.PLENARY_CHECKPOINT_EVERY_EVENTS = "10";
process.env.PLENARY_CHECKPOINT_EVERY_SECONDS = "60";

const append = (count: number) =>
  db.$transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await appendEvent(tx, {
        type: "user.created",
        actorId: null,
        userId: crypto.randomUUID(),
        pseudonym: `tidy-wren-${i}`,
        verificationTier: 0,
      });
    }
  });

describe("checkpoint schedule with the configured key", () => {
  it("publishes the public key with its C2SP verifier key", async () => {
    const response = publishedKeyResponse();
    expect(response.status).toBe(200);
    const key = await response.json();
    expect(key).toMatchObject({ origin: "plenary.example/log", algorithm: "Ed25519" });
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(parseVerifierKey(key.verifierKey)).toMatchObject({ name: "plenary.example/log" });
  });

  it("signs right after a decision, verifiably with the published key", async () => {
    expect(await checkpointAfterDecision()).toMatchObject({ created: false, reason: "EMPTY_LOG" });
    await append(3);
    const outcome = await checkpointAfterDecision();
    expect(outcome).toMatchObject({ created: true, checkpoint: { treeSize: 3n } });
    const verifier = parseVerifierKey((await publishedKeyResponse().json()).verifierKey)!;
    expect(verifyCheckpoint(outcome!.checkpoint!.note, verifier)).toMatchObject({
      ok: true,
      checkpoint: { treeSize: 3n },
    });
  });

  it("signs on a tick only after N events or T seconds", async () => {
    await append(5);
    expect(await checkpointIfDue()).toBeNull();
    expect(await checkpointIfDue(new Date(Date.now() + 61_000))).toMatchObject({
      created: true,
      checkpoint: { treeSize: 8n },
    });
    await append(10);
    expect(await checkpointIfDue()).toMatchObject({ created: true, checkpoint: { treeSize: 18n } });
    expect(await checkpointIfDue(new Date(Date.now() + 3_600_000))).toBeNull();
  });
});
