// Seeded pseudo-random numbers that are bit-identical in every JS engine.
// xoshiro128** (Blackman & Vigna) needs only 32-bit integer math (Math.imul, >>> 0),
// so browsers and Node produce the same stream without BigInt.

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** Largest n for which a uint32 times n is exact in a double. */
const MAX_EXACT_MULTIPLIER = 2097152;

const GOLDEN_GAMMA = 0x9e3779b9;

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * @param seed a non-negative safe integer.
   * @param stream selects an independent stream for the same seed (0 = the default one);
   *   lets one seed drive two generators that must not be correlated.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new Error(`Prng seed must be a non-negative safe integer, got ${seed}`);
    }
    if (!Number.isSafeInteger(stream) || stream < 0 || stream >= TWO_POW_32) {
      throw new Error(`Prng stream must be an integer in [0, 2^32), got ${stream}`);
    }
    // Fold all input bits (seed has up to 53, stream 32) into one word, then expand it into the
    // four state words SplitMix-style (mixing a golden-ratio counter).
    let counter =
      mix32(seed) ^ mix32(Math.floor(seed / TWO_POW_32) ^ 0x6a09e667) ^ mix32(stream ^ 0xbb67ae85);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      counter = (counter + GOLDEN_GAMMA) >>> 0;
      words.push(mix32(counter));
    }
    // xoshiro must never start from the all-zero state.
    const [a, b, c, d] = words;
    this.s0 = a === 0 && b === 0 && c === 0 && d === 0 ? 1 : a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }

  /** Uniform unsigned 32-bit integer. */
  nextU32(): number {
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

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const high27 = this.nextU32() >>> 5;
    const low26 = this.nextU32() >>> 6;
    return (high27 * 67108864 + low26) / TWO_POW_53;
  }

  /** Uniform integer in [0, n) for an integer 1 ≤ n ≤ 2^32, without bias. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new Error(`Prng.integer needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    }
    if (n <= MAX_EXACT_MULTIPLIER) return this.integerByMultiply(n);
    // Reject draws from the incomplete last block of n values, then reduce.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /**
   * Lemire's multiply-and-reject: the high word of x·n is uniform once the few low words
   * below (2^32 mod n) are rejected. x·n stays below 2^53, so double math is exact, and the
   * slow modulo runs only in the rare case low < n.
   */
  private integerByMultiply(n: number): number {
    let product = this.nextU32() * n;
    // product / 2^32 < 2^21, so >>> 0 floors it exactly.
    let high = (product / TWO_POW_32) >>> 0;
    let low = product - high * TWO_POW_32;
    if (low < n) {
      const threshold = (TWO_POW_32 - n) % n;
      while (low < threshold) {
        product = this.nextU32() * n;
        high = (product / TWO_POW_32) >>> 0;
        low = product - high * TWO_POW_32;
      }
    }
    return high;
  }

  /** Uniform pick from a non-empty list. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.choice needs a non-empty list');
    return items[this.integer(items.length)];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
