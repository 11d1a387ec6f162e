import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { layernormChecks } from './checks.ts';
import { layernormBackwardReference, layernormForwardReference } from './reference.ts';

describe('layernorm', () => {
  it('reference backward matches finite differences (dx, dw and db)', () => {
    const rows = 3;
    const d = 5;
    const eps = 1e-5;
    const x = randomArray(rows * d, 1, -1, 3);
    const w = randomArray(d, 2, 0.5, 1.5);
    const b = randomArray(d, 3);
    const dy = randomArray(rows * d, 4);
    const { dx, dw, db } = layernormBackwardReference(x, w, b, dy, eps);
    const result = gradcheck(
      (xs) => layernormForwardReference(xs[0]!, xs[1]!, xs[2]!, eps).y,
      [x, w, b],
      dy,
      [dx, dw, db],
      [0, 1, 2],
    );
    expect(result.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('reference output has zero mean and unit variance per row before the affine map', () => {
    const d = 6;
    const x = randomArray(2 * d, 5, -3, 3);
    const { y } = layernormForwardReference(x, new Float64Array(d).fill(1), new Float64Array(d), 0);
    for (let r = 0; r < 2; r++) {
      const row = y.slice(r * d, (r + 1) * d);
      const mu = row.reduce((a, v) => a + v, 0) / d;
      const variance = row.reduce((a, v) => a + (v - mu) ** 2, 0) / d;
      expect(Math.abs(mu)).toBeLessThan(1e-12);
      expect(variance).toBeCloseTo(1, 10);
    }
  });

  itPassesKernelChecks(layernormChecks);
});
