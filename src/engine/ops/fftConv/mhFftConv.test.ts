import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { mhFftConvChecks } from './checks.ts';
import { mhFftConvBackwardReference, mhFftConvForwardReference } from './mhReference.ts';

describe('mhFftConv', () => {
  it('reference backward matches finite differences (duc, dk, dD)', () => {
    const s = { B: 2, T: 4, I: 4, H: 2 };
    const uc = randomArray(s.B * s.T * 3 * s.I, 1);
    const k = randomArray(s.T * 2, 2);
    const d = randomArray(2, 3);
    const dy = randomArray(s.B * s.T * s.I, 4);
    const ref = mhFftConvBackwardReference(s, uc, k, d, dy);
    const r = gradcheck((xs) => mhFftConvForwardReference(s, xs[0]!, xs[1]!, xs[2]!), [uc, k, d], dy, [ref.duc, ref.dk, ref.dd], [0, 1, 2]);
    expect(r.maxAbsDiff).toBeLessThan(1e-7);
  });
  itPassesKernelChecks(mhFftConvChecks);
});
