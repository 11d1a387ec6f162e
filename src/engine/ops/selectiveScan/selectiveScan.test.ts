import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { scanCaseData, selectiveScanChecks, type ScanCase } from './checks.ts';
import { selectiveScanBackwardReference, selectiveScanForwardReference } from './reference.ts';

describe('selectiveScan', () => {
  it('reference backward matches finite differences (x, Δ, B, C, A_log, D)', () => {
    const s: ScanCase = { B: 2, T: 5, C: 3, N: 2, S: 6, bOff: 1, cOff: 4, chunk: 1 };
    const { x, delta, bc, aLog, d, dy } = scanCaseData(s, 7);
    const inputs = [x.f64, delta.f64, bc.f64, aLog.f64, d.f64];
    const f = (xs: Float64Array[]) => selectiveScanForwardReference(s, { x: xs[0]!, delta: xs[1]!, bc: xs[2]!, aLog: xs[3]!, d: xs[4]! });
    const r = selectiveScanBackwardReference(s, { x: x.f64, delta: delta.f64, bc: bc.f64, aLog: aLog.f64, d: d.f64 }, dy.f64);
    const result = gradcheck(f, inputs, dy.f64, [r.dx, r.dDelta, r.dBc, r.dALog, r.dD], [0, 1, 2, 3, 4]);
    expect(result.maxAbsDiff).toBeLessThan(1e-7);
  });
  it('reference matches the closed form at T = 1: y = Σ_n C·Δ·B·x + D·x', () => {
    const s: ScanCase = { B: 1, T: 1, C: 2, N: 3, S: 6, bOff: 0, cOff: 3, chunk: 1 };
    const { x, delta, bc, aLog, d } = scanCaseData(s, 9);
    const y = selectiveScanForwardReference(s, { x: x.f64, delta: delta.f64, bc: bc.f64, aLog: aLog.f64, d: d.f64 });
    for (let c = 0; c < 2; c++) {
      let e = d.f64[c]! * x.f64[c]!;
      for (let n = 0; n < 3; n++) e += bc.f64[3 + n]! * delta.f64[c]! * bc.f64[n]! * x.f64[c]!;
      expect(y[c]).toBeCloseTo(e, 12);
    }
  });
  itPassesKernelChecks(selectiveScanChecks);
});
