import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { rwkvChannelBackwardReference, rwkvChannelReference, type RwkvChannelShape } from './reference.ts';
import { rwkv5ChannelMixerLayer, rwkv6ChannelMixerLayer, rwkvChannelMixerForward, rwkvMixInit, type RwkvVersion } from './rwkvChannelMixer.ts';
import { data, expectClose } from './testUtil.ts';

const LAYER = { 5: rwkv5ChannelMixerLayer, 6: rwkv6ChannelMixerLayer } as const;

describe('rwkv5/6-channel-mixer layers', () => {
  for (const version of [5, 6] as const) {
    it(`rwkv${version}: parameters and init at d=128 (147,712)`, () => {
      const g = new Graph();
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
    const s5: RwkvChannelShape = { b: 2, t: 5, d: 4, inner: 6, version: 5 };
    const x = randomArray(2 * 5 * 4, 1);
    const w = { key: randomArray(24, 2), receptance: randomArray(16, 3), value: randomArray(24, 4) };
    const mu = randomArray(4, 5, 0, 1);
    const y5 = rwkvChannelReference(x, { ...w, mixK: mu, mixR: mu.map((v) => v / 2) }, s5);
    const y6 = rwkvChannelReference(x, { ...w, mixK: mu.map((v) => 1 - v), mixR: mu.map((v) => 1 - v / 2) }, { ...s5, version: 6 });
    for (let i = 0; i < y5.length; i++) expect(Math.abs(y5[i]! - y6[i]!)).toBeLessThan(1e-14);
    expect(Array.from(rwkvMixInit(5, 4))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(rwkvMixInit(6, 4))).toEqual([1, 0.75, 0.5, 0.25]);
  });

  for (const version of [5, 6] as const) {
    it(`rwkv${version}: reference backward matches finite differences (x and every parameter)`, () => {
      const s: RwkvChannelShape = { b: 2, t: 4, d: 3, inner: 5, version };
      const n = s.b * s.t;
      // Pre-activations of ReLU² are kept away from 0 only by chance; ReLU² is C¹, so that is fine.
      const xs = [
        randomArray(n * s.d, 1),
        randomArray(s.d, 2, 0, 1),
        randomArray(s.d, 3, 0, 1),
        randomArray(s.inner * s.d, 4),
        randomArray(s.d * s.d, 5),
        randomArray(s.d * s.inner, 6),
      ];
      const p = (v: Float64Array[]) => ({ mixK: v[1]!, mixR: v[2]!, key: v[3]!, receptance: v[4]!, value: v[5]! });
      const dy = randomArray(n * s.d, 7);
      const r = rwkvChannelBackwardReference(xs[0]!, p(xs), dy, s);
      const result = gradcheck(
        (v) => rwkvChannelReference(v[0]!, p(v), s),
        xs,
        dy,
        [r.dx, r.dmixK, r.dmixR, r.dkey, r.dreceptance, r.dvalue],
        [0, 1, 2, 3, 4, 5],
      );
      expect(result.maxAbsDiff).toBeLessThan(1e-8);
    });
  }

  // f32 GPU vs f64: sums of ≤ 24 products of O(1) terms, μ gradients sum over B·T ≤ 26 rows;
  // atol 1e-6 + rtol 1e-4 (results are O(0.1–1), observed errors ≲ 1e-7).
  const cases: [RwkvVersion, number, number, number, number][] = [
    [5, 2, 9, 8, 16],
    [6, 2, 9, 8, 16],
    [6, 1, 13, 12, 24],
  ];
  for (const [version, b, t, d, inner] of cases) {
    it(`rwkv${version}: GPU forward and backward match the f64 reference (B=${b}, T=${t}, d=${d}, inner=${inner})`, async () => {
      const n = b * t;
      const x = data(n * d, 30 + d);
      const mixK = data(d, 31, 1, 0);
      const mixR = data(d, 32, 1, 0);
      const key = data(inner * d, 33, 1 / Math.sqrt(d));
      const receptance = data(d * d, 34, 1 / Math.sqrt(d));
      const value = data(d * inner, 35, 1 / Math.sqrt(inner));
      const dy = data(n * d, 36);
      const { output, grads } = await runOp(
        [
          { shape: [b, t, d], data: x.f32 },
          { shape: [1, 1, d], data: mixK.f32, param: true },
          { shape: [1, 1, d], data: mixR.f32, param: true },
          { shape: [inner, d], data: key.f32, param: true },
          { shape: [d, d], data: receptance.f32, param: true },
          { shape: [d, inner], data: value.f32, param: true },
        ],
        (g, [xt, mk, mr, k, r, v]) => rwkvChannelMixerForward(g, xt!, { mixK: mk!, mixR: mr!, key: k!, receptance: r!, value: v! }, version),
        dy.f32,
      );
      const s: RwkvChannelShape = { b, t, d, inner, version };
      const p = { mixK: mixK.f64, mixR: mixR.f64, key: key.f64, receptance: receptance.f64, value: value.f64 };
      const ref = rwkvChannelBackwardReference(x.f64, p, dy.f64, s);
      const [atol, rtol] = [1e-6, 1e-4];
      expectClose('forward', output, rwkvChannelReference(x.f64, p, s), atol, rtol);
      expectClose('backward dx', grads[0]!, ref.dx, atol, rtol);
      expectClose('backward dMixK', grads[1]!, ref.dmixK, atol, rtol);
      expectClose('backward dMixR', grads[2]!, ref.dmixR, atol, rtol);
      expectClose('backward dKey', grads[3]!, ref.dkey, atol, rtol);
      expectClose('backward dReceptance', grads[4]!, ref.dreceptance, atol, rtol);
      expectClose('backward dValue', grads[5]!, ref.dvalue, atol, rtol);
    });
  }
});
