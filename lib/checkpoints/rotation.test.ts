import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { noteVerifier } from "./note";
import { inHistory, keyAt, keyHistory, openKeyRotation, signKeyRotation } from "./rotation";

const ORIGIN = "plenary.rotation-test/log";
const key = () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { signer: { name: ORIGIN, privateKey }, verifier: noteVerifier(ORIGIN, privateKey) };
};

describe("key rotation notes", () => {
  const [k0, k1, k2] = [key(), key(), key()];
  const first = signKeyRotation(k0.signer, k0.verifier, k1.verifier, 100);
  const second = signKeyRotation(k1.signer, k1.verifier, k2.verifier, 250);

  it("is signed by the key it retires and names its successor and the last size it signed", () => {
    const opened = openKeyRotation(first);
    expect(opened).toMatchObject({ ok: true, rotation: { origin: ORIGIN, lastTreeSize: 100 } });
    expect(opened.ok && Buffer.from(opened.rotation.to.publicKey).equals(Buffer.from(k1.verifier.publicKey))).toBe(
      true,
    );
  });

  it("refuses a note signed by another key than the one it retires", () => {
    const forged = signKeyRotation(k2.signer, k0.verifier, k1.verifier, 100);
    expect(openKeyRotation(forged)).toMatchObject({ ok: false });
    expect(openKeyRotation(first.replace("\n100\n", "\n101\n"))).toMatchObject({ ok: false });
    expect(openKeyRotation("not a note")).toMatchObject({ ok: false });
  });

  it("builds the history of keys and picks the key of each tree size", () => {
    const built = keyHistory([first, second], k2.verifier);
    if (!built.ok) throw new Error(built.reason);
    expect(keyAt(built.history, 1)).toBe(built.history.keys[0]!.verifier);
    expect(Buffer.from(keyAt(built.history, 100).publicKey)).toEqual(Buffer.from(k0.verifier.publicKey));
    expect(Buffer.from(keyAt(built.history, 101).publicKey)).toEqual(Buffer.from(k1.verifier.publicKey));
    expect(keyAt(built.history, 251)).toBe(k2.verifier);
    expect(inHistory(built.history, k0.verifier)).toBe(true);
    expect(inHistory(built.history, key().verifier)).toBe(false);
  });

  it("refuses a history that does not chain or does not end at the current key", () => {
    expect(keyHistory([second, first], k2.verifier)).toMatchObject({ ok: false });
    expect(keyHistory([first], k2.verifier)).toMatchObject({ ok: false });
    expect(keyHistory([first, signKeyRotation(k2.signer, k2.verifier, k0.verifier, 300)], k0.verifier)).toMatchObject({
      ok: false,
    });
    expect(keyHistory([], k2.verifier)).toMatchObject({ ok: true, history: { keys: [] } });
  });
});
