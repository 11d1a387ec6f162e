import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { tokenShiftChecks } from './checks.ts';
import { tokenShiftBackwardReference, tokenShiftForwardReference } from './reference.ts';

describe('tokenShift', () => {
  it('reference: x′_t = x_{t−1}, x′_0 = 0', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // [2, 3, 2]
    expect(Array.from(tokenShiftForwardReference(x, 2, 3, 2))).toEqual([0, 0, 1, 2, 3, 4, 0, 0, 7, 8, 9, 10]);
  });

  it('reference backward matches finite differences', () => {
    const [b, t, d] = [2, 7, 3];
    const x = randomArray(b * t * d, 1);
    const dy = randomArray(b * t * d, 2);
    const result = gradcheck((xs) => tokenShiftForwardReference(xs[0]!, b, t, d), [x], dy, [tokenShiftBackwardReference(dy, b, t, d)], [0]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  itPassesKernelChecks(tokenShiftChecks);
});
