import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { resolveLayerConfig } from '../registry.ts';
import { moeMlpForward, moeMlpLayer } from './moeMlp.ts';
import { moeMlpBackwardReference, moeMlpReference, type MoeShape } from './reference.ts';
import { data, expectClose } from './testUtil.ts';

describe('moe-mlp layer', () => {
  it('parameters at d=128: up1, up2, down1 (dense 128→1024), router with bias, unused gates 8×16', () => {
    const g = new Graph();
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

  it('reference backward matches finite differences (x and every weight)', () => {
    const s: MoeShape = { n: 4, d: 3, inner: 2, experts: 4, active: 2 };
    const hi = s.inner * s.experts;
    const x = randomArray(s.n * s.d, 1);
    const ws = [
      randomArray(hi * s.d, 2),
      randomArray(hi * s.d, 3),
      randomArray(s.d * s.experts * hi, 4),
      randomArray(s.experts * s.d, 5, -2, 2),
      randomArray(s.experts, 6),
    ];
    const dy = randomArray(s.n * s.d, 7);
    const p = (xs: Float64Array[]) => ({ up1: xs[1]!, up2: xs[2]!, down1: xs[3]!, router: xs[4]!, routerBias: xs[5]! });
    const r = moeMlpBackwardReference(x, p([x, ...ws]), dy, s);
    const result = gradcheck(
      (xs) => moeMlpReference(xs[0]!, p(xs), s),
      [x, ...ws],
      dy,
      [r.dx, r.dup1, r.dup2, r.ddown1, r.drouter, r.drouterBias],
      [0, 1, 2, 3, 4, 5],
    );
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  // f32 GPU vs f64: sums of ≤ 64 products of O(1) terms; atol 1e-6 + rtol 1e-4 (results are
  // O(0.1–1), observed errors ≲ 1e-7). Random scores are far from ties, so the top-k selection
  // is the same in f32 and f64.
  for (const s of [
    { b: 2, t: 7, d: 8, inner: 4, experts: 4, active: 2 },
    { b: 1, t: 11, d: 16, inner: 2, experts: 8, active: 2 },
  ]) {
    it(`GPU forward and backward match the f64 reference (B=${s.b}, T=${s.t}, d=${s.d}, E=${s.experts}, k=${s.active})`, async () => {
      const n = s.b * s.t;
      const hi = s.inner * s.experts;
      const x = data(n * s.d, 20 + s.d);
      const up1 = data(hi * s.d, 21, 1 / Math.sqrt(s.d));
      const up2 = data(hi * s.d, 22, 1 / Math.sqrt(s.d));
      const down1 = data(s.d * s.experts * hi, 23, 1 / Math.sqrt(hi));
      const router = data(s.experts * s.d, 24, 1);
      const routerBias = data(s.experts, 25, 0.5);
      const dy = data(n * s.d, 26);
      const { output, grads } = await runOp(
        [
          { shape: [s.b, s.t, s.d], data: x.f32 },
          { shape: [hi, s.d], data: up1.f32, param: true },
          { shape: [hi, s.d], data: up2.f32, param: true },
          { shape: [s.d * s.experts, hi], data: down1.f32, param: true },
          { shape: [s.experts, s.d], data: router.f32, param: true },
          { shape: [s.experts], data: routerBias.f32, param: true },
        ],
        (g, [xt, u1, u2, dn, rt, rb]) => moeMlpForward(g, xt!, { up1: u1!, up2: u2!, down1: dn!, router: rt!, routerBias: rb! }, s.active),
        dy.f32,
      );
      const shape: MoeShape = { n, d: s.d, inner: s.inner, experts: s.experts, active: s.active };
      const p = { up1: up1.f64, up2: up2.f64, down1: down1.f64, router: router.f64, routerBias: routerBias.f64 };
      const ref = moeMlpBackwardReference(x.f64, p, dy.f64, shape);
      const [atol, rtol] = [1e-6, 1e-4];
      expectClose('forward', output, moeMlpReference(x.f64, p, shape), atol, rtol);
      expectClose('backward dx', grads[0]!, ref.dx, atol, rtol);
      expectClose('backward dUp1', grads[1]!, ref.dup1, atol, rtol);
      expectClose('backward dUp2', grads[2]!, ref.dup2, atol, rtol);
      expectClose('backward dDown1', grads[3]!, ref.ddown1, atol, rtol);
      expectClose('backward dRouter', grads[4]!, ref.drouter, atol, rtol);
      expectClose('backward dRouterBias', grads[5]!, ref.drouterBias, atol, rtol);
    });
  }
});
