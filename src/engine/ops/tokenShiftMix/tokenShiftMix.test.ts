import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { tokenShiftMixChecks } from './checks.ts';
import { tokenShiftMixBackwardReference, tokenShiftMixForwardReference, tokenShiftMixNaive } from './reference.ts';

describe('tokenShiftMix', () => {
  for (const mode of ['rwkv5', 'rwkv6'] as const) {
    it(`${mode}: reference equals the naive shift-then-mix composition at several T`, () => {
      for (const t of [1, 2, 7, 16, 33]) {
        const shape = { b: 2, t, d: 3 };
        const x = randomArray(2 * t * 3, t);
        const mix = randomArray(3, t + 1, 0, 1);
        const a = tokenShiftMixForwardReference(x, mix, shape, mode);
        const b = tokenShiftMixNaive(x, mix, shape, mode);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-14);
      }
    });

    it(`${mode}: reference backward matches finite differences (x and mix)`, () => {
      const shape = { b: 2, t: 5, d: 3 };
      const x = randomArray(30, 1);
      const mix = randomArray(3, 2, 0, 1);
      const dy = randomArray(30, 3);
      const { dx, dmix } = tokenShiftMixBackwardReference(x, mix, dy, shape, mode);
      const result = gradcheck((xs) => tokenShiftMixForwardReference(xs[0]!, xs[1]!, shape, mode), [x, mix], dy, [dx, dmix], [0, 1]);
      expect(result.maxAbsDiff).toBeLessThan(1e-8);
    });
  }

  itPassesKernelChecks(tokenShiftMixChecks);
});
