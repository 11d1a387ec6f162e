import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { Tape } from '../reference/tape.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { rwkvChannelReference } from './reference.ts';
import { rwkv5ChannelMixerLayer, rwkv6ChannelMixerLayer, rwkvMixInit, type RwkvVersion } from './rwkvChannelMixer.ts';

const LAYER = { 5: rwkv5ChannelMixerLayer, 6: rwkv6ChannelMixerLayer } as const;
// Largest |ref| < 1 in every compared tensor, so 1e-6·max|ref| is below the absolute 1e-6 this
// test held before the harness.
const TOLERANCE = { atolOfMax: 1e-6, rtol: 1e-4 };

describe('rwkv5/6-channel-mixer layers', () => {
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: parameters and init at d=128 (147,712)`, () => {
      const g = new Graph('cpu');
      const x = g.input([1, 4, 128], 'f32', 'x');
      LAYER[version].build({ g, params: new ParamFactory(g, 0, 'current'), dim: 128, maxLength: 128, name: 'l' }, x, resolveLayerConfig(`rwkv${version}-channel-mixer`));
      const mix = version === 5 ? 'time_mix' : 'time_maa';
      expect(g.params.map((p) => `${p.label} ${p.shape.join('×')}`)).toEqual([
        `l.${mix}_k 1×1×128`,
        `l.${mix}_r 1×1×128`,
        'l.key.weight 512×128',
        'l.receptance.weight 128×128',
        'l.value.weight 128×512',
      ]);
      expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(147_712);
      const init = g.initialData.get(g.params[0]!) as Float32Array;
      expect(init[0]).toBe(version === 5 ? 0 : 1);
      expect(init[64]).toBe(version === 5 ? 0.5 : 0.5);
      expect(init[127]).toBeCloseTo(version === 5 ? 127 / 128 : 1 / 128, 7);
    });
  }

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('rwkv5-channel-mixer', { hidden: 1 })).toThrow(/rwkv5-channel-mixer: unknown config key 'hidden'/);
    expect(() => resolveLayerConfig('rwkv6-channel-mixer', { dim_inner: 0 })).toThrow(/rwkv6-channel-mixer: 'dim_inner'/);
  });

  it('RWKV5 (μ) and RWKV6 (m = 1 − μ) compute the same function', () => {
    const shape = { T: 5, d: 4, inner: 6 };
    const x = randomArray(2 * 5 * 4, 1);
    const mu = randomArray(4, 5, 0, 1);
    const run = (version: RwkvVersion, mixK: Float64Array, mixR: Float64Array): Float64Array => {
      const t = new Tape();
      const mix = version === 5 ? 'time_mix' : 'time_maa';
      const p = {
        [`${mix}_k`]: t.leaf(mixK),
        [`${mix}_r`]: t.leaf(mixR),
        'key.weight': t.leaf(randomArray(24, 2)),
        'receptance.weight': t.leaf(randomArray(16, 3)),
        'value.weight': t.leaf(randomArray(24, 4)),
      };
      return rwkvChannelReference(t, p, t.leaf(x), { ...shape, version }).value;
    };
    const y5 = run(5, mu, mu.map((v) => v / 2));
    const y6 = run(6, mu.map((v) => 1 - v), mu.map((v) => 1 - v / 2));
    for (let i = 0; i < y5.length; i++) expect(Math.abs(y5[i]! - y6[i]!)).toBeLessThan(1e-14);
    expect(Array.from(rwkvMixInit(5, 4))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(rwkvMixInit(6, 4))).toEqual([1, 0.75, 0.5, 0.25]);
  });

  /** Mixes in [0, 1], Linear weights in ±1/√fan_in. */
  const rwkvCase = (version: RwkvVersion, B: number, T: number, dim: number, inner: number, seed: number): LayerCase => ({
    name: `rwkv${version}-channel-mixer B=${B} T=${T} d=${dim} inner=${inner}`,
    shape: { B, T, dim, maxLength: T },
    build: (ctx, x) => LAYER[version].build(ctx, x, resolveLayerConfig(`rwkv${version}-channel-mixer`, { dim, dim_inner: inner })),
    reference: (t, p, x) => rwkvChannelReference(t, p, x, { T, d: dim, inner, version }),
    weights: (key, [, fanIn]) => (key.startsWith('time_') ? [0, 1] : [-1 / Math.sqrt(fanIn!), 1 / Math.sqrt(fanIn!)]),
    seed,
  });

  // Pre-activations of ReLU² are kept away from 0 only by chance; ReLU² is C¹, so that is fine.
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: reference backward matches finite differences (x and every parameter)`, () => {
      expectReferenceMatchesFiniteDifferences(rwkvCase(version, 2, 4, 3, 5, 1), { maxAbsDiff: 1e-8 });
    });
  }

  // f32 GPU vs f64: sums of ≤ 24 products of O(1) terms, μ gradients sum over B·T ≤ 26 rows
  // (observed errors ≲ 1e-7).
  const cases: [RwkvVersion, number, number, number, number][] = [
    [5, 2, 9, 8, 16],
    [6, 2, 9, 8, 16],
    [6, 1, 13, 12, 24],
  ];
  for (const [version, B, T, dim, inner] of cases) {
    it(`rwkv${version}: GPU forward and backward match the f64 reference (B=${B}, T=${T}, d=${dim}, inner=${inner})`, async () => {
      await expectLayerMatchesReference(rwkvCase(version, B, T, dim, inner, 30 + dim), TOLERANCE);
    });
  }
});
