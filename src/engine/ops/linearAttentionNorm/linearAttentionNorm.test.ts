import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { linearAttentionNormChecks } from './checks.ts';
import { linearAttentionNormBackwardReference, linearAttentionNormReference } from './reference.ts';

describe('linearAttentionNorm', () => {
  it('reference backward matches finite differences (num, den)', () => {
    const num = randomArray(24, 1);
    const den = randomArray(6, 2, 0.5, 2);
    const dy = randomArray(24, 3);
    const r = linearAttentionNormBackwardReference(num, den, dy, 4, 1e-12);
    const result = gradcheck((xs) => linearAttentionNormReference(xs[0]!, xs[1]!, 4, 1e-12), [num, den], dy, [r.dnum, r.dden], [0, 1]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });
  itPassesKernelChecks(linearAttentionNormChecks);
});
