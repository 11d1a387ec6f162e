import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { data, expectClose } from '../channel/testUtil.ts';
import { resolveLayerConfig } from '../registry.ts';
import { RWKV5_PARAM_NAMES, RWKV6_PARAM_NAMES, rwkvParamShapes, rwkvTimeReference, type RwkvRefShape } from './rwkvReference.ts';
import {
  rwkv5TimeForward,
  rwkv5TimeMixerLayer,
  rwkv6TimeForward,
  rwkv6TimeMixerLayer,
  type Rwkv5TimeParams,
  type Rwkv6TimeParams,
} from './rwkvTimeMixer.ts';
import { Tape, type V } from './tape.ts';

const NAMES = { 5: RWKV5_PARAM_NAMES, 6: RWKV6_PARAM_NAMES } as const;
const LAYER = { 5: rwkv5TimeMixerLayer, 6: rwkv6TimeMixerLayer } as const;
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Test values: mixes in (0, 1), decays around −1 (moderate log decay), GroupNorm weight near 1. */
function paramRange(name: string): [number, number] {
  if (name.startsWith('mix') || (name.startsWith('maa') && name.length === 4)) return [0, 1];
  if (name === 'decay') return [-2, 0.5];
  if (name === 'lnW') return [0.5, 1.5];
  if (name === 'bonus') return [-0.5, 0.5];
  return [-0.6, 0.6];
}

function reference(version: 5 | 6, s: RwkvRefShape, x: Float64Array, ps: Float64Array[], dy?: Float64Array) {
  const t = new Tape();
  const xv = t.leaf(x);
  const pv = ps.map((p) => t.leaf(p));
  const p = Object.fromEntries(NAMES[version].map((n, i) => [n, pv[i]!])) as Record<string, V>;
  const y = rwkvTimeReference(t, version, xv, p, s);
  if (dy) t.backward(y, dy);
  return { y: y.v, dx: xv.g, dps: pv.map((v) => v.g) };
}

describe('rwkv5/6-time-mixer layers', () => {
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: parameters, init and state at d=128`, () => {
      const g = new Graph();
      const x = g.input([1, 4, 128], 'f32', 'x');
      const config = resolveLayerConfig(`rwkv${version}-time-mixer`);
      LAYER[version].build({ g, params: new ParamFactory(g, 0, 'current'), dim: 128, maxLength: 128, name: 'l' }, x, config);
      expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(version === 5 ? 82_944 : 140_544);
      const byName = (label: string): Float32Array => g.initialData.get(g.params.find((p) => p.label === `l.${label}`)!) as Float32Array;
      const decay = byName('time_decay');
      expect(decay[0]).toBeCloseTo(-6, 6);
      expect(decay[127]).toBeCloseTo(-1, 6);
      expect(Array.from(byName('time_faaaa').slice(0, 4)).map((v) => Math.round(v * 10) / 10)).toEqual([0, 0.1, -0.1, 0]);
      if (version === 5) {
        expect(byName('time_mix_k')[64]).toBeCloseTo(0.5, 7);
        expect(byName('time_mix_r')[64]).toBeCloseTo(Math.SQRT1_2, 6);
      } else {
        expect(byName('time_maa_x')[64]).toBeCloseTo(0.5, 7);
        expect(byName('time_maa_g')[64]).toBeCloseTo(1 - Math.SQRT1_2, 6);
        expect(Math.max(...byName('time_maa_w1').map(Math.abs))).toBeLessThanOrEqual(1e-4);
      }
      expect(LAYER[version].stateSize(config, 128)).toBe(2048);
    });
  }

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('rwkv5-time-mixer', { max_length: 5 })).toThrow(/rwkv5-time-mixer: unknown config key 'max_length'/);
    expect(() => resolveLayerConfig('rwkv6-time-mixer', { head_dim: 48 })).toThrow(/rwkv6-time-mixer: 'head_dim' 48 must divide 'dim_att'/);
    expect(() => resolveLayerConfig('rwkv6-time-mixer', { head_dim_divisor: 0 })).toThrow(/'head_dim_divisor'/);
  });

  for (const version of [5, 6] as const) {
    it(`rwkv${version}: reference backward matches finite differences (x and every parameter)`, () => {
      const s: RwkvRefShape = { B: 2, T: 3, d: 4, heads: 2, headDim: 2, divisor: 2 };
      const shapes = rwkvParamShapes(version, s);
      const xs = [randomArray(s.B * s.T * s.d, 1), ...NAMES[version].map((n, i) => randomArray(size(shapes[n]!), 10 + i, ...paramRange(n)))];
      const dy = randomArray(s.B * s.T * s.d, 2);
      const r = reference(version, s, xs[0]!, xs.slice(1), dy);
      const result = gradcheck((v) => reference(version, s, v[0]!, v.slice(1)).y, xs, dy, [r.dx, ...r.dps], xs.map((_, i) => i));
      expect(result.maxAbsDiff).toBeLessThan(1e-6);
    });
  }

  // GPU (f32: token-shift mixes, matmuls, chunked recurrence, LayerNorm-based GroupNorm) vs the
  // f64 reference at width 8, 2 heads of 4, T = 20 (two chunks): short sums of O(1) terms; the
  // GroupNorm over 4 values amplifies rounding by 1/std, hence 2e-4 (observed ~1e-6–1e-5).
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: GPU layer forward and every gradient match the f64 reference`, async () => {
      const s: RwkvRefShape = { B: 2, T: 20, d: 8, heads: 2, headDim: 4, divisor: 2 };
      const shapes = rwkvParamShapes(version, s);
      const names = NAMES[version];
      const x = data(s.B * s.T * s.d, 1);
      const ps = names.map((n, i) => {
        const [lo, hi] = paramRange(n);
        return data(size(shapes[n]!), 10 + i, hi, lo);
      });
      const dy = data(s.B * s.T * s.d, 2);
      const shape = { heads: s.heads, headDim: s.headDim, eps: 1e-5 * s.divisor ** 2 };
      const { output, grads } = await runOp(
        [{ shape: [s.B, s.T, s.d], data: x.f32 }, ...names.map((n, i) => ({ shape: shapes[n]!, data: ps[i]!.f32, param: true }))],
        (g, [xt, ...pt]) => {
          const p = Object.fromEntries(names.map((n, i) => [n, pt[i]!]));
          return version === 5
            ? rwkv5TimeForward(g, xt!, p as unknown as Rwkv5TimeParams, shape)
            : rwkv6TimeForward(g, xt!, p as unknown as Rwkv6TimeParams, shape);
        },
        dy.f32,
      );
      const r = reference(version, s, x.f64, ps.map((p) => p.f64), dy.f64);
      expectClose('forward', output, r.y, 2e-4, 2e-4);
      expectClose('backward dx', grads[0]!, r.dx, 2e-4, 2e-4);
      names.forEach((n, i) => expectClose(`backward d${n}`, grads[i + 1]!, r.dps[i]!, 2e-4, 2e-4));
    });
  }
});
