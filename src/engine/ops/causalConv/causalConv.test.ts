import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { causalConvChecks } from './checks.ts';
import { causalConvBackwardReference, causalConvForwardReference } from './reference.ts';

describe('causalConv1d', () => {
  it('reference backward matches finite differences (x, w, bias)', () => {
    const s = { B: 2, T: 6, C: 3, K: 4 };
    const x = randomArray(s.B * s.T * s.C, 1);
    const w = randomArray(s.C * s.K, 2);
    const b = randomArray(s.C, 3);
    const dy = randomArray(s.B * s.T * s.C, 4);
    const ref = causalConvBackwardReference(s, x, w, dy);
    const r = gradcheck((xs) => causalConvForwardReference(s, xs[0]!, xs[1]!, xs[2]!), [x, w, b], dy, [ref.dx, ref.dw, ref.db], [0, 1, 2]);
    expect(r.maxAbsDiff).toBeLessThan(1e-7);
  });
  it('reference is causal: y[t] ignores x after t', () => {
    const s = { B: 1, T: 5, C: 2, K: 3 };
    const x = randomArray(10, 5);
    const w = randomArray(6, 6);
    const y0 = causalConvForwardReference(s, x, w, null);
    x[2 * 2 + 1] += 1; // perturb t = 2, c = 1
    const y1 = causalConvForwardReference(s, x, w, null);
    for (let t = 0; t < 2; t++) expect(y1[t * 2 + 1]).toBe(y0[t * 2 + 1]);
    expect(y1[2 * 2 + 1]).not.toBe(y0[2 * 2 + 1]);
  });
  itPassesKernelChecks(causalConvChecks);
});
