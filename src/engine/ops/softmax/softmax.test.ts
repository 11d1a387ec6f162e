import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { softmaxChecks } from './checks.ts';
import { softmaxBackwardReference, softmaxForwardReference } from './reference.ts';

describe('softmax', () => {
  it('reference backward matches finite differences', () => {
    const d = 6;
    const x = randomArray(4 * d, 1, -3, 3);
    const dy = randomArray(4 * d, 2);
    const analytic = softmaxBackwardReference(x, dy, d);
    const result = gradcheck((xs) => softmaxForwardReference(xs[0]!, d), [x], dy, [analytic], [0]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  it('reference rows sum to one, even for huge logits', () => {
    const y = softmaxForwardReference(Float64Array.from([1000, 1001, 999, -5, 0, 5]), 3);
    expect(y[0]! + y[1]! + y[2]!).toBeCloseTo(1, 12);
    expect(y[3]! + y[4]! + y[5]!).toBeCloseTo(1, 12);
  });

  itPassesKernelChecks(softmaxChecks);
});
