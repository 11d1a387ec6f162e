// The Mamba-2 scan's f64 reference against finite differences and a closed form, then the
// GPU-versus-reference checks (checks.ts) on the test GPU.

import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { mamba2CaseData, mamba2ScanChecks, type Mamba2Case } from './checks.ts';
import { mamba2Columns, mamba2ScanBackwardReference, mamba2ScanForwardReference } from './reference.ts';

describe('mamba2Scan', () => {
  it('reference backward matches finite differences (x, B, C, Δ, A_log, D; two groups)', () => {
    const s: Mamba2Case = { B: 2, T: 5, H: 4, P: 2, N: 2, G: 2, chunk: 1 };
    const { xbc, delta, aLog, d, dy } = mamba2CaseData(s, 7);
    const f = (xs: Float64Array[]) => mamba2ScanForwardReference(s, { xbc: xs[0]!, delta: xs[1]!, aLog: xs[2]!, d: xs[3]! });
    const r = mamba2ScanBackwardReference(s, { xbc: xbc.f64, delta: delta.f64, aLog: aLog.f64, d: d.f64 }, dy.f64);
    const result = gradcheck(f, [xbc.f64, delta.f64, aLog.f64, d.f64], dy.f64, [r.dXbc, r.dDelta, r.dALog, r.dD], [0, 1, 2, 3]);
    console.log(`mamba2Scan reference vs finite differences: max |diff| ${result.maxAbsDiff.toExponential(2)} (limit 1e-7)`);
    expect(result.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('reference matches the closed form at T = 1: y = Σ_n C·Δ·B·x + D·x', () => {
    const s: Mamba2Case = { B: 1, T: 1, H: 2, P: 2, N: 3, G: 1, chunk: 1 };
    const { xbc, delta, aLog, d } = mamba2CaseData(s, 9);
    const { S, bCol, cCol } = mamba2Columns(s);
    const y = mamba2ScanForwardReference(s, { xbc: xbc.f64, delta: delta.f64, aLog: aLog.f64, d: d.f64 });
    for (let c = 0; c < 4; c++) {
      const h = Math.floor(c / 2);
      let e = d.f64[h]! * xbc.f64[c]!;
      for (let n = 0; n < 3; n++) e += xbc.f64[cCol(0, n)]! * delta.f64[h]! * xbc.f64[bCol(0, n)]! * xbc.f64[c]!;
      expect(y[c]).toBeCloseTo(e, 12);
    }
    expect(S).toBe(10);
  });

  itPassesKernelChecks(mamba2ScanChecks);
});
