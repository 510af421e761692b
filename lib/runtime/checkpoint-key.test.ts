import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/env";
import { loadOrCreateCheckpointKey } from "./checkpoint-key";

const saved = { dir: process.env.PLENARY_DATA_DIR, file: process.env.PLENARY_CHECKPOINT_KEY_FILE };
afterEach(() => {
  for (const [name, value] of [
    ["PLENARY_DATA_DIR", saved.dir],
    ["PLENARY_CHECKPOINT_KEY_FILE", saved.file],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const scratch = () => mkdtempSync(path.join(tmpdir(), "plenary-key-"));

describe("loadOrCreateCheckpointKey", () => {
  it("generates the default key once, private to its owner, and reuses it", () => {
    process.env.PLENARY_DATA_DIR = path.join(scratch(), "data");
    delete process.env.PLENARY_CHECKPOINT_KEY_FILE;
    const first = loadOrCreateCheckpointKey();
    expect(first.created).toBe(true);
    expect(first.file).toBe(path.join(process.env.PLENARY_DATA_DIR, "checkpoint-key.pem"));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const again = loadOrCreateCheckpointKey();
    expect(again.created).toBe(false);
    expect(again.privateKey.equals(first.privateKey)).toBe(true);
  });

  it("reads a configured key and never invents one in its place", () => {
    const dir = scratch();
    const file = path.join(dir, "log.pem");
    process.env.PLENARY_CHECKPOINT_KEY_FILE = file;
    expect(() => loadOrCreateCheckpointKey()).toThrow(ConfigError);
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(loadOrCreateCheckpointKey()).toMatchObject({ file, created: false });

    writeFileSync(
      file,
      generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    expect(() => loadOrCreateCheckpointKey()).toThrow(/Ed25519/);
    writeFileSync(file, "not a key");
    expect(() => loadOrCreateCheckpointKey()).toThrow(ConfigError);
  });
});
