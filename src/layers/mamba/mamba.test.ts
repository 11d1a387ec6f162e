import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { asF32, randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { expectClose } from '../channel/testUtil.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { mambaDims, mambaForward, mambaLayer, type MambaDims } from './mamba.ts';
import { mambaBackwardReference, mambaForwardReference, type MambaRefWeights } from './reference.ts';

type Key = keyof MambaRefWeights;
const KEYS: Key[] = ['inProj', 'inProjBias', 'convWeight', 'convBias', 'xProj', 'dtProj', 'dtBias', 'aLog', 'd', 'outProj', 'outProjBias'];

function shapes(dims: MambaDims, bias: boolean): Record<Key, number[] | null> {
  const { dim, inner: C, state: N, conv: K, dtRank: R } = dims;
  return {
    inProj: [2 * C, dim],
    inProjBias: bias ? [2 * C] : null,
    convWeight: [C, K],
    convBias: [C],
    xProj: [R + 2 * N, C],
    dtProj: [C, R],
    dtBias: [C],
    aLog: [C, N],
    d: [C],
    outProj: [dim, C],
    outProjBias: bias ? [dim] : null,
  };
}

/**
 * Seeded weights near the layer's init scales, but with x_proj, dt_proj and the dt bias larger
 * (B, C, Δ of order 0.3–1) so every gradient, dt_proj's and A_log's included, is well above the
 * comparison's noise floor.
 */
function weights(dims: MambaDims, bias: boolean, seed: number): Record<Key, { f32: Float32Array; f64: Float64Array } | null> {
  const sh = shapes(dims, bias);
  const range: Record<Key, [number, number]> = {
    inProj: [-(dims.dim ** -0.5), dims.dim ** -0.5],
    inProjBias: [-0.3, 0.3],
    convWeight: [-0.5, 0.5],
    convBias: [-0.5, 0.5],
    xProj: [-1, 1],
    dtProj: [-1, 1],
    dtBias: [-1, 1],
    aLog: [0, 1.4],
    d: [0.5, 1.5],
    outProj: [-(dims.inner ** -0.5), dims.inner ** -0.5],
    outProjBias: [-0.3, 0.3],
  };
  return Object.fromEntries(
    KEYS.map((k, i) => {
      const s = sh[k];
      return [k, s ? asF32(randomArray(s.reduce((a, b) => a * b, 1), seed + i, ...range[k])) : null];
    }),
  ) as Record<Key, { f32: Float32Array; f64: Float64Array } | null>;
}

describe('mamba layer', () => {
  it('parameter count 107,264 and state 1,024 at d = 128 (spec §4.4)', () => {
    const config = resolveLayerConfig('mamba');
    expect(countLayerParameters(mambaLayer, config, 128, 128)).toBe(107_264);
    expect(mambaLayer.stateSize(config, 128)).toBe(1024);
    expect(mambaDims(config, 128)).toEqual({ dim: 128, inner: 256, state: 4, conv: 4, dtRank: 8 });
  });

  it("init: A_log = ln(n+1), D = 1, dt bias = softplus⁻¹(dt ∈ [1e-3, 0.1]) under 'current', 0 under 'paper'", () => {
    for (const scheme of ['current', 'paper'] as const) {
      const g = new Graph();
      const params = new ParamFactory(g, 3, scheme);
      mambaLayer.build({ g, params, dim: 16, maxLength: 8, name: 'm' }, g.input([1, 8, 16], 'f32', 'x'), resolveLayerConfig('mamba'));
      const init = (label: string): Float32Array => g.initialData.get(g.params.find((p) => p.label === label)!) as Float32Array;
      expect(Array.from(init('m.A_log').slice(0, 8)).map((v) => Math.round(Math.exp(v)))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
      expect(init('m.D').every((v) => v === 1)).toBe(true);
      const conv = init('m.conv1d.weight');
      expect(conv.every((v) => Math.abs(v) <= 0.5) && conv.some((v) => Math.abs(v) > 0.25)).toBe(true);
      const dtBias = init('m.dt_proj.bias');
      if (scheme === 'paper') expect(dtBias.every((v) => v === 0)).toBe(true);
      else {
        for (const b of dtBias) {
          const dt = Math.log1p(Math.exp(b));
          expect(dt).toBeGreaterThanOrEqual(0.001 * (1 - 1e-4));
          expect(dt).toBeLessThanOrEqual(0.1 * (1 + 1e-4));
        }
        const wdt = init('m.dt_proj.weight'); // dt_rank = ⌈16/16⌉ = 1 → U(±1)
        expect(wdt.every((v) => Math.abs(v) <= 1) && wdt.some((v) => Math.abs(v) > 0.5)).toBe(true);
      }
      expect(g.params.map((p) => p.label.slice(2))).toEqual([
        'in_proj.weight',
        'conv1d.weight',
        'conv1d.bias',
        'x_proj.weight',
        'dt_proj.weight',
        'dt_proj.bias',
        'A_log',
        'D',
        'out_proj.weight',
      ]);
    }
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('mamba', { d_stat: 4 })).toThrow(/mamba: unknown config key 'd_stat'/);
    expect(() => resolveLayerConfig('mamba', { d_state: 0 })).toThrow(/mamba: 'd_state'/);
    expect(() => resolveLayerConfig('mamba', { d_state: 32 })).toThrow(/mamba: 'd_state'/);
    expect(() => resolveLayerConfig('mamba', { dt_rank: 'big' })).toThrow(/mamba: 'dt_rank'/);
    expect(() => resolveLayerConfig('mamba', { dt_init: 'xavier' })).toThrow(/mamba: 'dt_init'/);
    expect(() => resolveLayerConfig('mamba', { dt_min: 0.5 })).toThrow(/mamba: 'dt_min'/);
    expect(() => resolveLayerConfig('mamba', { conv_bias: 'yes' })).toThrow(/mamba: 'conv_bias'/);
    expect(resolveLayerConfig('mamba', { dt_rank: 4, bias: true, dt_init: 'constant' })).toMatchObject({ dt_rank: 4 });
  });

  it('reference backward matches finite differences (x and every parameter)', () => {
    const dims: MambaDims = { dim: 3, inner: 4, state: 2, conv: 3, dtRank: 2 };
    const [B, T] = [2, 4];
    const w = weights(dims, true, 20);
    const x = randomArray(B * T * dims.dim, 1);
    const dout = randomArray(B * T * dims.dim, 2);
    const present = KEYS.filter((k) => w[k]);
    const unpack = (xs: Float64Array[]): MambaRefWeights =>
      Object.fromEntries(KEYS.map((k) => [k, w[k] ? xs[1 + present.indexOf(k)]! : null])) as unknown as MambaRefWeights;
    const inputs = [x, ...present.map((k) => w[k]!.f64)];
    const r = mambaBackwardReference(B, T, dims, x, unpack(inputs), dout);
    const result = gradcheck(
      (xs) => mambaForwardReference(B, T, dims, xs[0]!, unpack(xs)),
      inputs,
      dout,
      [r.dx, ...present.map((k) => r[k])],
      inputs.map((_, i) => i),
    );
    expect(result.maxAbsDiff).toBeLessThan(1e-7);
    expect(result.maxRelDiff).toBeLessThan(1e-5);
  });

  // f32 GPU vs the f64 reference (sequential scan): chains of ≤ 16-term dot products and a
  // recurrence over T steps. Gradients differ in scale by orders of magnitude, so each is
  // compared with atol = 1e-5·max|ref| + rtol 1e-4 (observed ≤ 3e-7·max|ref|).
  for (const { B, T, dims, bias, chunk } of [
    { B: 2, T: 9, dims: { dim: 8, inner: 16, state: 4, conv: 4, dtRank: 2 }, bias: false, chunk: 4 },
    { B: 1, T: 6, dims: { dim: 4, inner: 8, state: 3, conv: 4, dtRank: 1 }, bias: true, chunk: 16 },
  ]) {
    it(`GPU layer forward and backward match the f64 reference (B=${B}, T=${T}, d=${dims.dim}, N=${dims.state}, bias=${bias}, chunk=${chunk})`, async () => {
      const w = weights(dims, bias, 40);
      const sh = shapes(dims, bias);
      const present = KEYS.filter((k) => w[k]);
      const x = asF32(randomArray(B * T * dims.dim, 30));
      const dout = asF32(randomArray(B * T * dims.dim, 31));
      const { output, grads } = await runOp(
        [{ shape: [B, T, dims.dim], data: x.f32 }, ...present.map((k) => ({ shape: sh[k]!, data: w[k]!.f32, param: true }))],
        (g, [xt, ...ps]) => {
          const get = (k: Key) => (w[k] ? ps[present.indexOf(k)]! : null);
          return mambaForward(
            g,
            xt!,
            {
              inProj: get('inProj')!,
              inProjBias: get('inProjBias'),
              convWeight: get('convWeight')!,
              convBias: get('convBias'),
              xProj: get('xProj')!,
              dtProj: get('dtProj')!,
              dtBias: get('dtBias')!,
              aLog: get('aLog')!,
              d: get('d')!,
              outProj: get('outProj')!,
              outProjBias: get('outProjBias'),
            },
            dims,
            chunk,
          );
        },
        dout.f32,
      );
      const wf = Object.fromEntries(KEYS.map((k) => [k, w[k]?.f64 ?? null])) as unknown as MambaRefWeights;
      const ref = mambaBackwardReference(B, T, dims, x.f64, wf, dout.f64);
      const close = (what: string, actual: Float32Array, expected: Float64Array): void => {
        const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expect(scale, `${what} is all zeros`).toBeGreaterThan(1e-4);
        expectClose(`${what} (max |ref| ${scale.toExponential(1)})`, actual, expected, 1e-5 * scale, 1e-4);
      };
      close('forward', output, mambaForwardReference(B, T, dims, x.f64, wf));
      close('backward dx', grads[0]!, ref.dx);
      present.forEach((k, i) => close(`backward d${k}`, grads[1 + i]!, ref[k]));
    });
  }
});
