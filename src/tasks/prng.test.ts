import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('produces a fixed stream for a seed (same integer math in every engine)', () => {
    const rng = new Prng(12345);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([
      3185266317, 1864267032, 2161476237, 2799100894,
    ]);
    // The same words through integer() (multiply path twice, then the modulo path) and random().
    const derived = new Prng(12345);
    expect([derived.integer(10), derived.integer(1000), derived.integer(3 * 2 ** 30), derived.random()]).toEqual([
      7, 434, 2161476237, 0.6517164567995638,
    ]);
    const again = new Prng(12345);
    const other = new Prng(12346);
    const a = Array.from({ length: 8 }, () => again.nextU32());
    const b = Array.from({ length: 8 }, () => other.nextU32());
    expect(a).not.toEqual(b);
  });

  it('gives independent streams for the same seed', () => {
    const main = new Prng(7);
    const side = new Prng(7, 1);
    const a = Array.from({ length: 8 }, () => main.nextU32());
    const b = Array.from({ length: 8 }, () => side.nextU32());
    expect(a).not.toEqual(b);
  });

  it('random() lies in [0, 1) with mean 1/2', () => {
    const rng = new Prng(1);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.random();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('integer(n) covers [0, n) uniformly', () => {
    const rng = new Prng(2);
    const counts = new Array<number>(7).fill(0);
    const draws = 70_000;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const x = rng.integer(7);
      if (Number.isInteger(x) && x >= 0 && x < 7) counts[x] = counts[x] + 1;
      else outside++;
    }
    expect(outside).toBe(0);
    // Chi-square with 6 degrees of freedom; 22.5 is the 0.1 % tail.
    const expected = draws / 7;
    const chiSquare = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(22.5);
  });

  it('integer(n) has no modulo bias for large n', () => {
    // With plain x % n, n = 3·2^30 would put half of all draws below 2^30 instead of a third.
    for (const n of [3 * 2 ** 30, 3 * 2 ** 20]) {
      const rng = new Prng(3);
      let low = 0;
      const draws = 30_000;
      for (let i = 0; i < draws; i++) if (rng.integer(n) < n / 3) low++;
      expect(low / draws).toBeCloseTo(1 / 3, 1);
      expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.015);
    }
  });

  it('integer(1) is 0 and integer(2^32) is any uint32', () => {
    const rng = new Prng(4);
    expect(rng.integer(1)).toBe(0);
    const x = rng.integer(2 ** 32);
    expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('rejects invalid arguments', () => {
    const rng = new Prng(5);
    expect(() => rng.integer(0)).toThrow(/1 ≤ n/);
    expect(() => rng.integer(2.5)).toThrow(/1 ≤ n/);
    expect(() => rng.integer(2 ** 32 + 1)).toThrow(/1 ≤ n/);
    expect(() => rng.choice([])).toThrow(/non-empty/);
    expect(() => new Prng(-1)).toThrow(/seed/);
    expect(() => new Prng(0.5)).toThrow(/seed/);
  });

  it('choice picks every item', () => {
    const rng = new Prng(6);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.choice(['a', 'b', 'c']));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });
});
