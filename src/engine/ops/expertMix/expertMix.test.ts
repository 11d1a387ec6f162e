import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { expertMixChecks } from './checks.ts';
import { expertMixBackwardReference, expertMixForwardReference, expertMixNaive } from './reference.ts';

describe('expertMix', () => {
  it('reference equals the naive reshape-multiply-sum formulation', () => {
    const [rows, d, e] = [5, 6, 4];
    const z = randomArray(rows * d * e, 1);
    const gate = randomArray(rows * e, 2);
    const a = expertMixForwardReference(z, gate, rows, d, e);
    const b = expertMixNaive(z, gate, rows, d, e);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-14);
  });

  it('reference backward matches finite differences (z and gate)', () => {
    const [rows, d, e] = [3, 5, 4];
    const z = randomArray(rows * d * e, 3);
    const gate = randomArray(rows * e, 4);
    const dy = randomArray(rows * d, 5);
    const { dz, dgate } = expertMixBackwardReference(z, gate, dy, rows, d, e);
    const result = gradcheck((xs) => expertMixForwardReference(xs[0]!, xs[1]!, rows, d, e), [z, gate], dy, [dz, dgate], [0, 1]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  itPassesKernelChecks(expertMixChecks);
});
