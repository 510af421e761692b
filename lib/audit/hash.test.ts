import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_CHAIN_HASH, chainHash, fromHex, leafHash, toHex } from "./hash";

describe("audit hashes", () => {
  it("hashes leaves with the RFC 6962 0x00 prefix", () => {
    // RFC 6962 / RFC 9162: the hash of an empty leaf is SHA-256(0x00).
    expect(toHex(leafHash(""))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const expected = createHash("sha256")
      .update(Buffer.concat([Buffer.from([0]), Buffer.from('{"a":"é"}', "utf8")]))
      .digest("hex");
    expect(toHex(leafHash('{"a":"é"}'))).toBe(expected);
  });

  it("chains SHA-256(previous ‖ leaf) starting from 32 zero bytes", () => {
    const leaf = leafHash("{}");
    const expected = createHash("sha256").update(Buffer.alloc(32)).update(leaf).digest("hex");
    expect(toHex(chainHash(GENESIS_CHAIN_HASH, leaf))).toBe(expected);
    expect(toHex(chainHash(leaf, GENESIS_CHAIN_HASH))).not.toBe(expected);
  });

  it("round-trips hex and rejects malformed hex", () => {
    expect(toHex(fromHex("00ff10"))).toBe("00ff10");
    expect(() => fromHex("0g")).toThrow();
    expect(() => fromHex("abc")).toThrow();
  });
});
