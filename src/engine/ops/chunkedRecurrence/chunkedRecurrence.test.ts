import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { chunkedRecurrenceChecks } from './checks.ts';
import type { RecurrenceMode } from './chunkedRecurrence.ts';
import { recurrenceBackwardReference, recurrenceForwardReference } from './reference.ts';

describe('chunked linear recurrence', () => {
  for (const mode of ['gla', 'rwkv'] as RecurrenceMode[]) {
    it(`${mode}: reference backward matches finite differences (q, k, v, log decay, u)`, () => {
      const dims = { B: 2, T: 5, H: 2, dk: 3, dv: 2 };
      const nk = 2 * 5 * 2 * 3;
      const nv = 2 * 5 * 2 * 2;
      const xs = [randomArray(nk, 1), randomArray(nk, 2), randomArray(nv, 3), randomArray(nk, 4, -1, -0.05), randomArray(6, 5)];
      const dout = randomArray(nv, 6);
      const scale = 0.7;
      const pack = (a: Float64Array[]) => ({ q: a[0]!, k: a[1]!, v: a[2]!, lw: a[3]!, u: a[4]! });
      const r = recurrenceBackwardReference(mode, dims, pack(xs), dout, scale);
      const wrt = mode === 'rwkv' ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
      const analytic = [r.dq, r.dk, r.dv, r.dlw, r.du].slice(0, wrt.length);
      const result = gradcheck((a) => recurrenceForwardReference(mode, dims, pack(a), scale), xs, dout, analytic, wrt);
      expect(result.maxAbsDiff).toBeLessThan(1e-7);
    });
  }
  itPassesKernelChecks(chunkedRecurrenceChecks);
});
