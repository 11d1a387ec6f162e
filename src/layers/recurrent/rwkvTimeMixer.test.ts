import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase, type WeightRange } from '../testing/layerHarness.ts';
import { rwkvTimeReference } from './rwkvReference.ts';
import { rwkv5TimeMixerLayer, rwkv6TimeMixerLayer, type RwkvVersion } from './rwkvTimeMixer.ts';

// Largest |ref| ≤ 40 in every compared tensor. Measured on SwiftShader ≤ 9e-6·max|ref| (the rtol
// covering the rest); on lavapipe, whose LLVM contracts multiply-adds and reduces in groups of its
// wider subgroups, rwkv6's d(time_decay_w2) reaches 1.21e-5·max|ref| at an element of |ref| 0.02
// (a sum over every step of a decay's whole future), so the absolute part allows 2e-5·max|ref|.
const TOLERANCE = { atolOfMax: 2e-5, rtol: 2e-4 };

const LAYER = { 5: rwkv5TimeMixerLayer, 6: rwkv6TimeMixerLayer } as const;

/** Test values: mixes in [0, 1], decays around −1 (moderate log decay), GroupNorm weight near 1. */
function weightRange(key: string): WeightRange {
  if (/^time_(mix|maa)_[a-z]$/.test(key)) return [0, 1];
  if (key === 'time_decay') return [-2, 0.5];
  if (key === 'ln_x.weight') return [0.5, 1.5];
  if (key === 'time_faaaa') return [-0.5, 0.5];
  return [-0.6, 0.6];
}

function rwkvCase(version: RwkvVersion, B: number, T: number, shape: { dim: number; heads: number; headDim: number; divisor: number }, seed: number): LayerCase {
  const { dim, heads, headDim, divisor } = shape;
  const config = resolveLayerConfig(`rwkv${version}-time-mixer`, { dim, head_dim: headDim, dim_att: heads * headDim, head_dim_divisor: divisor });
  return {
    name: `rwkv${version}-time-mixer B=${B} T=${T} d=${dim} ${heads} heads of ${headDim}`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => LAYER[version].build(ctx, x, config),
    reference: (t, p, x) => rwkvTimeReference(t, version, p, x, { T, ...shape }),
    weights: weightRange,
    seed,
  };
}

describe('rwkv5/6-time-mixer layers', () => {
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: parameters, init and state at d=128`, () => {
      const g = new Graph('cpu');
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
      expectReferenceMatchesFiniteDifferences(rwkvCase(version, 2, 3, { dim: 4, heads: 2, headDim: 2, divisor: 2 }, 1), { maxAbsDiff: 1e-6 });
    });
  }

  // GPU (f32: token-shift mixes, matmuls, chunked recurrence, LayerNorm-based GroupNorm) vs the
  // f64 reference at width 8, 2 heads of 4, T = 20 (two chunks): short sums of O(1) terms; the
  // GroupNorm over 4 values amplifies rounding by 1/std.
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: GPU layer forward and every gradient match the f64 reference`, async () => {
      await expectLayerMatchesReference(rwkvCase(version, 2, 20, { dim: 8, heads: 2, headDim: 4, divisor: 2 }, 10), TOLERANCE);
    });
  }
});
