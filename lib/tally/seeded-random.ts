// xoshiro128** (Blackman & Vigna): a small PRNG built from 32-bit integer operations only,
// so the same seed yields the same stream in every JavaScript engine and in any language
// with 32-bit unsigned arithmetic. The tally seeds it from the input digest, which makes
// resampling part of the deterministic function of the input rather than a source of noise.
import { sha256Hex } from "@/lib/audit/hash";

const TWO_POW_32 = 4_294_967_296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds from the first 16 bytes of a hex SHA-256 digest, as four big-endian words. */
  constructor(digestHex: string) {
    if (!/^[0-9a-f]{32,}$/.test(digestHex)) throw new TypeError("seed must be at least 32 lower-case hex digits");
    const word = (i: number) => Number.parseInt(digestHex.slice(i * 8, i * 8 + 8), 16) | 0;
    this.s0 = word(0);
    this.s1 = word(1);
    this.s2 = word(2);
    this.s3 = word(3);
    // The all-zero state is the one fixed point of the generator.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Seeded from SHA-256 of a text, for tests and the benchmark. */
  static fromText(text: string): SeededRandom {
    return new SeededRandom(sha256Hex(text));
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** An integer in [0, n), n ≤ 2^21 so that the product stays exact in a double. */
  nextIndex(n: number): number {
    return Math.floor((this.nextUint32() * n) / TWO_POW_32);
  }

  /** A number in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }
}
