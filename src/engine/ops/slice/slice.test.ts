import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { sliceChecks } from './checks.ts';
import { sliceBackwardReference, sliceForwardReference } from './reference.ts';

describe('sliceLastAxis', () => {
  it('reference backward matches finite differences', () => {
    const x = randomArray(4 * 7, 1);
    const dy = randomArray(4 * 3, 2);
    const r = gradcheck((xs) => sliceForwardReference(xs[0]!, 7, 2, 3), [x], dy, [sliceBackwardReference(dy, 7, 2, 3)], [0]);
    expect(r.maxAbsDiff).toBeLessThan(1e-8);
  });
  itPassesKernelChecks(sliceChecks);
});
