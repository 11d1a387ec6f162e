import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { moeMlpLayer } from './moeMlp.ts';
import { moeMlpReference } from './reference.ts';

// Largest |ref| < 1 in every compared tensor, so 1e-6·max|ref| is below the absolute 1e-6 this
// test held before the harness.
const TOLERANCE = { atolOfMax: 1e-6, rtol: 1e-4 };

describe('moe-mlp layer', () => {
  it('parameters at d=128: up1, up2, down1 (dense 128→1024), router with bias, unused gates 8×16', () => {
    const g = new Graph('cpu');
    const x = g.input([1, 4, 128], 'f32', 'x');
    moeMlpLayer.build({ g, params: new ParamFactory(g, 0), dim: 128, maxLength: 128, name: 'l' }, x, resolveLayerConfig('moe-mlp'));
    expect(g.params.map((p) => `${p.label} ${p.shape.join('×')}`)).toEqual([
      'l.up1.weight 128×128',
      'l.up2.weight 128×128',
      'l.down1.weight 1024×128',
      'l.router.weight 8×128',
      'l.router.bias 8',
      'l.gates 8×16',
    ]);
    expect(g.params.reduce((n, p) => n + p.size, 0)).toBe(165_000);
  });

  it('validate names the offending key', () => {
    expect(() => resolveLayerConfig('moe-mlp', { experts: 3 })).toThrow(/moe-mlp: unknown config key 'experts'/);
    expect(() => resolveLayerConfig('moe-mlp', { active_experts: 9 })).toThrow(/moe-mlp: 'active_experts'/);
    expect(() => resolveLayerConfig('moe-mlp', { num_experts: 0 })).toThrow(/moe-mlp: 'num_experts'/);
    expect(() => resolveLayerConfig('moe-mlp', { bias: true })).toThrow(/moe-mlp: bias/);
  });

  /** Linear weights in ±1/√fan_in, the router in ±1 and its bias in ±0.5 (scores far from ties). */
  const moeCase = (s: { B: number; T: number; dim: number; inner: number; experts: number; active: number }, seed: number): LayerCase => ({
    name: `moe-mlp B=${s.B} T=${s.T} d=${s.dim} E=${s.experts} k=${s.active}`,
    shape: { B: s.B, T: s.T, dim: s.dim, maxLength: s.T },
    build: (ctx, x) => moeMlpLayer.build(ctx, x, resolveLayerConfig('moe-mlp', { dim: s.dim, dim_inner: s.inner, num_experts: s.experts, active_experts: s.active })),
    reference: (t, p, x) => moeMlpReference(t, p, x, { d: s.dim, inner: s.inner, experts: s.experts, active: s.active }),
    weights: (key, [, fanIn]) => (key === 'router.weight' ? [-1, 1] : key === 'router.bias' ? [-0.5, 0.5] : [-1 / Math.sqrt(fanIn!), 1 / Math.sqrt(fanIn!)]),
    unused: ['gates'],
    seed,
  });

  it('reference backward matches finite differences (x and every weight)', () => {
    expectReferenceMatchesFiniteDifferences(moeCase({ B: 2, T: 2, dim: 3, inner: 2, experts: 4, active: 2 }, 1), { maxAbsDiff: 1e-8 });
  });

  // f32 GPU vs f64: sums of ≤ 64 products of O(1) terms (observed errors ≲ 1e-7). Random scores
  // are far from ties, so the top-k selection is the same in f32 and f64.
  for (const s of [
    { B: 2, T: 7, dim: 8, inner: 4, experts: 4, active: 2 },
    { B: 1, T: 11, dim: 16, inner: 2, experts: 8, active: 2 },
  ]) {
    it(`GPU forward and backward match the f64 reference (B=${s.B}, T=${s.T}, d=${s.dim}, E=${s.experts}, k=${s.active})`, async () => {
      await expectLayerMatchesReference(moeCase(s, 20 + s.dim), TOLERANCE);
    });
  }
});
