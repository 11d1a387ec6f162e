// The delta rule's f64 reference against finite differences and closed forms, then the chunked
// GPU kernels against the reference (checks.ts).

import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { deltaRuleCaseData, deltaRuleChecks, type DeltaRuleCase } from './checks.ts';
import { deltaRule, type DeltaRuleVariant } from './deltaRule.ts';
import { deltaRuleBackwardReference, deltaRuleForwardReference } from './reference.ts';

describe('deltaRule', () => {
  for (const gated of [false, true]) {
    it(`reference backward matches finite differences (q, k, v, β${gated ? ', log α' : ''}), ${gated ? 'gated' : 'ungated'}`, () => {
      // k not normalised here: the reference is exact for any k.
      const s: DeltaRuleCase = { B: 2, T: 5, H: 2, dk: 3, dv: 2, gated, chunk: 1, scale: 0.7 };
      const d = deltaRuleCaseData(s, 11);
      const inputs = [d.q.f64, d.k.f64, d.v.f64, d.beta.f64, d.logAlpha.f64];
      const f = (xs: Float64Array[]) =>
        deltaRuleForwardReference(s, { q: xs[0]!, k: xs[1]!, v: xs[2]!, beta: xs[3]!, logAlpha: gated ? xs[4]! : null }, s.scale);
      const r = deltaRuleBackwardReference(s, { q: d.q.f64, k: d.k.f64, v: d.v.f64, beta: d.beta.f64, logAlpha: gated ? d.logAlpha.f64 : null }, d.dout.f64, s.scale);
      const wrt = gated ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
      const analytic = [r.dq, r.dk, r.dv, r.dBeta, r.dLogAlpha].slice(0, wrt.length);
      const result = gradcheck(f, inputs, d.dout.f64, analytic, wrt);
      console.log(`delta rule reference vs finite differences (${gated ? 'gated' : 'ungated'}): max |diff| ${result.maxAbsDiff.toExponential(2)} (tolerance 1e-7)`);
      expect(result.maxAbsDiff).toBeLessThan(1e-7);
    });
  }

  it('reference matches the closed forms: o_0 = scale·β_0 (k_0·q_0) v_0; β = 1, unit k replaces the value stored along k', () => {
    const s: DeltaRuleCase = { B: 1, T: 2, H: 1, dk: 3, dv: 2, gated: false, chunk: 1, scale: 0.5 };
    const d = deltaRuleCaseData(s, 5);
    const beta = Float64Array.from([d.beta.f64[0]!, 1]);
    const k = Float64Array.from([...d.k.f64.subarray(0, 3), ...d.k.f64.subarray(0, 3)]); // k_1 = k_0 (unit)
    const o = deltaRuleForwardReference(s, { q: d.q.f64, k, v: d.v.f64, beta, logAlpha: null }, s.scale);
    const kq = (t: number) => k[3 * t]! * d.q.f64[3 * t]! + k[3 * t + 1]! * d.q.f64[3 * t + 1]! + k[3 * t + 2]! * d.q.f64[3 * t + 2]!;
    for (let i = 0; i < 2; i++) {
      expect(o[i]).toBeCloseTo(0.5 * beta[0]! * kq(0) * d.v.f64[i]!, 12);
      // S_1 = S_0(I − k kᵀ) + v_1 kᵀ: what S_0 stored along k is overwritten, so S_1 q = (k·q) v_1
      // (k is unit to f32 rounding, hence 9 digits).
      expect(o[2 + i]).toBeCloseTo(0.5 * kq(1) * d.v.f64[2 + i]!, 9);
    }
  });

  it("runs the graph's target's kernels (state elements on 'gpu', barrier-free rows on 'cpu') unless a call names them", () => {
    const labels = (target: 'gpu' | 'cpu', variant?: DeltaRuleVariant): string[] => {
      const g = new Graph(target);
      const [B, T, H, dk, dv] = [2, 5, 3, 4, 8];
      const x = (shape: number[], label: string) => {
        const t = g.input(shape, 'f32', label);
        g.markTrainable(t);
        return t;
      };
      const [q, k, v, beta] = [x([B, T, H, dk], 'q'), x([B, T, H, dk], 'k'), x([B, T, H, dv], 'v'), x([B, T, H], 'beta')];
      const o = deltaRule(g, { q, k, v, beta }, { variant });
      g.backward(o, g.input(o.shape, 'f32', 'do'));
      return g.launches.map((l) => l.label).filter((l) => l.startsWith('delta rule'));
    };
    const elements = ['delta rule forward (elements)', 'delta rule backward (elements)', 'delta rule backward scatter'];
    const rows = ['delta rule forward (rows)', 'delta rule backward (rows)', 'delta rule backward columns (rows)', 'delta rule backward scatter'];
    expect(labels('gpu')).toEqual(elements);
    expect(labels('cpu')).toEqual(rows);
    expect(labels('gpu', 'rows')).toEqual(rows);
    expect(labels('cpu', 'elements')).toEqual(elements);
  });

  itPassesKernelChecks(deltaRuleChecks);
});
