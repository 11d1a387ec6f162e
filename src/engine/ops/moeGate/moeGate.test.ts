import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray, randomInts } from '../../testing/random.ts';
import { moeGateChecks } from './checks.ts';
import { moeGateBackwardReference, moeGateForwardReference, moeGateNaive } from './reference.ts';

describe('moeGate', () => {
  it('reference: scores below the k-th largest become 0 (not −∞), softmax over all', () => {
    const s = Float64Array.from([3, -1, 2, 0.5]);
    const g = moeGateForwardReference(s, 4, 2);
    const z = Math.exp(3) + Math.exp(2) + 2 * Math.exp(0);
    expect(Array.from(g)).toEqual([Math.exp(3) / z, 1 / z, Math.exp(2) / z, 1 / z].map((v) => expect.closeTo(v, 14)));
  });

  it('reference equals the sort-based naive formulation, ties included', () => {
    for (const [e, k] of [[8, 2], [5, 3], [8, 1], [6, 6]] as const) {
      const smooth = randomArray(30 * e, e + k, -3, 3);
      const tied = Float64Array.from(randomInts(30 * e, 3, e * k), (v) => v - 1);
      for (const s of [smooth, tied]) {
        const a = moeGateForwardReference(s, e, k);
        const b = moeGateNaive(s, e, k);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-15);
      }
    }
  });

  it('reference backward matches finite differences', () => {
    for (const [e, k] of [[8, 2], [5, 3]] as const) {
      const s = randomArray(6 * e, 3 + e, -3, 3); // distinct scores: the mask is locally constant
      const dg = randomArray(6 * e, 4 + e);
      const result = gradcheck((xs) => moeGateForwardReference(xs[0]!, e, k), [s], dg, [moeGateBackwardReference(s, dg, e, k)], [0]);
      expect(result.maxAbsDiff).toBeLessThan(1e-8);
    }
  });

  itPassesKernelChecks(moeGateChecks);
});
