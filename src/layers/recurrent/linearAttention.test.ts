import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { data, expectClose } from '../channel/testUtil.ts';
import { resolveLayerConfig } from '../registry.ts';
import { linearAttentionForward, linearAttentionLayer, mhLinearAttentionLayer, type LinearAttentionParams } from './linearAttention.ts';
import {
  LINEAR_ATTENTION_PARAM_NAMES,
  linearAttentionParamShapes,
  linearAttentionReference,
  type LinearAttentionRefShape,
} from './linearAttentionReference.ts';
import { Tape, type V } from './tape.ts';

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Feature-map biases in [0.8, 1.2] and small weights keep φ > 0, so φq·Σφk stays away from 0. */
function range(name: string): [number, number] {
  if (name.endsWith('ab') || name.endsWith('bb')) return [0.8, 1.2];
  if (name.length === 2) return [-0.1, 0.1];
  return [-0.2, 0.2];
}

function reference(s: LinearAttentionRefShape, x: Float64Array, ps: Float64Array[], dy?: Float64Array) {
  const t = new Tape();
  const xv = t.leaf(x);
  const pv = ps.map((p) => t.leaf(p));
  const y = linearAttentionReference(t, xv, Object.fromEntries(LINEAR_ATTENTION_PARAM_NAMES.map((n, i) => [n, pv[i]!])) as Record<string, V>, s);
  if (dy) t.backward(y, dy);
  return { y: y.v, dx: xv.g, dps: pv.map((v) => v.g) };
}

describe('linear-attention layers', () => {
  it('parameters and state at d=128 (131,584 single-head; 65,824 with 16 heads)', () => {
    for (const [layer, total, state] of [
      [linearAttentionLayer, 131_584, 16_384],
      [mhLinearAttentionLayer, 65_824, 1_024],
    ] as const) {
      const g = new Graph();
      const x = g.input([1, 4, 128], 'f32', 'x');
      const config = resolveLayerConfig(layer.name);
      layer.build({ g, params: new ParamFactory(g, 0, 'current'), dim: 128, maxLength: 128, name: 'l' }, x, config);
      expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(total);
      expect(g.params[0]!.label).toBe('l.feature_map_q.layer1.weight');
      expect(layer.stateSize(config, 128)).toBe(state);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('linear-attention', { feature_map: 'elu' })).toThrow(/linear-attention: 'feature_map'/);
    expect(() => resolveLayerConfig('mh-linear-attention', { norm_q: true })).toThrow(/'norm_q' true is not supported/);
    expect(() => resolveLayerConfig('mh-linear-attention', { num_heads: 5 })).toThrow(/'num_heads' 5 must divide/);
    expect(() => resolveLayerConfig('linear-attention', { eps: 1 })).toThrow(/unknown config key 'eps'/);
  });

  it("the recurrence form equals mad-lab's quadratic form tril(φQ φKᵀ) V / (φq · cumsum φk + eps)", () => {
    const [B, T, H, h] = [2, 9, 2, 3];
    const fq = randomArray(B * T * H * h, 1);
    const fk = randomArray(B * T * H * h, 2);
    const v = randomArray(B * T * H * h, 3);
    const t = new Tape();
    const dims = { B, T, H, dk: h, dv: h };
    const num = t.recurrence('gla', dims, t.leaf(fq), t.leaf(fk), t.leaf(v), null, null);
    const den = t.recurrence('gla', { ...dims, dv: 1 }, t.leaf(fq), t.leaf(fk), t.leaf(new Float64Array(B * T * H).fill(1)), null, null);
    const y = t.normalize(num, den, h, 1e-12).v;
    const at = (b: number, s: number, hh: number, i: number): number => ((b * T + s) * H + hh) * h + i;
    for (let b = 0; b < B; b++) {
      for (let hh = 0; hh < H; hh++) {
        for (let n = 0; n < T; n++) {
          let z = 0;
          const acc = new Float64Array(h);
          for (let m = 0; m <= n; m++) {
            let a = 0;
            for (let i = 0; i < h; i++) a += fq[at(b, n, hh, i)]! * fk[at(b, m, hh, i)]!;
            for (let j = 0; j < h; j++) acc[j] += a * v[at(b, m, hh, j)]!;
            z += a; // φq_n · Σ_{m≤n} φk_m, summed term by term
          }
          for (let j = 0; j < h; j++) expect(y[at(b, n, hh, j)]).toBeCloseTo(acc[j]! / (z + 1e-12), 9);
        }
      }
    }
  });

  it('reference backward matches finite differences (x and every parameter)', () => {
    const s: LinearAttentionRefShape = { B: 2, T: 4, d: 4, heads: 2 };
    const shapes = linearAttentionParamShapes(s);
    const xs = [randomArray(s.B * s.T * s.d, 1), ...LINEAR_ATTENTION_PARAM_NAMES.map((n, i) => randomArray(size(shapes[n]!), 10 + i, ...range(n)))];
    const dy = randomArray(s.B * s.T * s.d, 2);
    const r = reference(s, xs[0]!, xs.slice(1), dy);
    const result = gradcheck((v) => reference(s, v[0]!, v.slice(1)).y, xs, dy, [r.dx, ...r.dps], xs.map((_, i) => i));
    expect(result.maxRelDiff).toBeLessThan(1e-5);
  });

  // GPU (f32) vs f64 at width 8, 2 heads of 4, T = 20 (two chunks). The normaliser divides by
  // φq·Σφk ≥ ~0.1 here, which amplifies f32 rounding ~10×: 2e-4 abs/rel (observed ~1e-6–1e-5).
  it('GPU layer forward and every gradient match the f64 reference', async () => {
    const s: LinearAttentionRefShape = { B: 2, T: 20, d: 8, heads: 2 };
    const shapes = linearAttentionParamShapes(s);
    const x = data(s.B * s.T * s.d, 1);
    const ps = LINEAR_ATTENTION_PARAM_NAMES.map((n, i) => {
      const [lo, hi] = range(n);
      return data(size(shapes[n]!), 10 + i, hi, lo);
    });
    const dy = data(s.B * s.T * s.d, 2);
    const { output, grads } = await runOp(
      [{ shape: [s.B, s.T, s.d], data: x.f32 }, ...LINEAR_ATTENTION_PARAM_NAMES.map((n, i) => ({ shape: shapes[n]!, data: ps[i]!.f32, param: true }))],
      (g, [xt, ...pt]) => {
        const [qa, qab, qb, qbb, ka, kab, kb, kbb, q, k, v, out] = pt as [typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt, typeof xt];
        const p: LinearAttentionParams = {
          mapQ: { wa: qa!, ba: qab!, wb: qb!, bb: qbb! },
          mapK: { wa: ka!, ba: kab!, wb: kb!, bb: kbb! },
          q: q!,
          k: k!,
          v: v!,
          out: out!,
        };
        return linearAttentionForward(g, xt!, p, s.heads);
      },
      dy.f32,
    );
    const r = reference(s, x.f64, ps.map((p) => p.f64), dy.f64);
    expectClose('forward', output, r.y, 2e-4, 2e-4);
    expectClose('backward dx', grads[0]!, r.dx, 2e-4, 2e-4);
    LINEAR_ATTENTION_PARAM_NAMES.forEach((n, i) => expectClose(`backward d${n}`, grads[i + 1]!, r.dps[i]!, 2e-4, 2e-4));
  });
});
