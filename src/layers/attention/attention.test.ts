import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { randomArray } from '../../engine/testing/random.ts';
import { ParamFactory } from '../../model/params.ts';
import { data, expectClose } from '../channel/testUtil.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { ATTENTION_LAYERS, attentionForward } from './attention.ts';
import { attentionLayerBackwardReference, attentionLayerForwardReference, type AttentionLayerShape } from './attentionReference.ts';

describe('attention layers', () => {
  it('reference layer backward matches finite differences (x and every parameter)', () => {
    for (const s of [
      { batch: 1, time: 4, dim: 4, heads: 2, window: null },
      { batch: 2, time: 5, dim: 4, heads: 1, window: 1 },
    ] satisfies AttentionLayerShape[]) {
      const d = s.dim;
      const x = randomArray(s.batch * s.time * d, 1);
      const p = {
        wqkv: randomArray(3 * d * d, 2),
        bqkv: randomArray(3 * d, 3),
        wout: randomArray(d * d, 4),
        bout: randomArray(d, 5),
      };
      const dy = randomArray(x.length, 6);
      const analytic = attentionLayerBackwardReference(x, p, dy, s);
      const f = ([xx, wqkv, bqkv, wout, bout]: Float64Array[]) => attentionLayerForwardReference(xx!, { wqkv: wqkv!, bqkv: bqkv!, wout: wout!, bout: bout! }, s);
      const r = gradcheck(f, [x, p.wqkv, p.bqkv, p.wout, p.bout], dy, analytic, [0, 1, 2, 3, 4]);
      expect(r.maxAbsDiff).toBeLessThan(1e-7);
    }
  });

  // GPU layer (qkv Linear → fused rotary attention → out_proj) against the f64 layer reference,
  // forward, dx and every parameter gradient, at width 16: 2 heads of 8 (window 3) and 1 head of 16.
  const cases: (AttentionLayerShape & { name: string })[] = [
    { name: 'B=2 T=9 d=16 2 heads window 3', batch: 2, time: 9, dim: 16, heads: 2, window: 3 },
    { name: 'B=1 T=13 d=16 1 head', batch: 1, time: 13, dim: 16, heads: 1, window: null },
  ];
  for (const [i, s] of cases.entries()) {
    it(`GPU layer matches the f64 reference: ${s.name}`, async () => {
      const d = s.dim;
      const n = s.batch * s.time * d;
      const x = data(n, 10 + i);
      const wqkv = data(3 * d * d, 20 + i, 0.5);
      const bqkv = data(3 * d, 30 + i, 0.5);
      const wout = data(d * d, 40 + i, 0.5);
      const bout = data(d, 50 + i, 0.5);
      const dy = data(n, 60 + i);
      const { output, grads } = await runOp(
        [
          { shape: [s.batch, s.time, d], data: x.f32 },
          { shape: [3 * d, d], data: wqkv.f32, param: true },
          { shape: [3 * d], data: bqkv.f32, param: true },
          { shape: [d, d], data: wout.f32, param: true },
          { shape: [d], data: bout.f32, param: true },
        ],
        (g, [xt, a, b, c, e]) => attentionForward(g, xt!, { wqkv: a!, bqkv: b!, wout: c!, bout: e! }, { heads: s.heads, window: s.window }),
        dy.f32,
      );
      const p = { wqkv: wqkv.f64, bqkv: bqkv.f64, wout: wout.f64, bout: bout.f64 };
      const expected = attentionLayerBackwardReference(x.f64, p, dy.f64, s);
      // f32 GEMMs of 16-term sums on top of the kernel's ~1e-6 error: 1e-4 + 1e-4·|ref|.
      expectClose(`${s.name} forward`, output, attentionLayerForwardReference(x.f64, p, s), 1e-4, 1e-4);
      ['dx', 'dWqkv', 'dbqkv', 'dWout', 'dbout'].forEach((what, k) => expectClose(`${s.name} backward ${what}`, grads[k]!, expected[k]!, 1e-4, 1e-4));
    });
  }

  it('the four configs: shorthands, heads, windows, 66,048 parameters at d = 128, labels', () => {
    expect(ATTENTION_LAYERS.map((l) => `${l.name}:${l.shorthand}`)).toEqual(['attention:A', 'mh-attention:mA', 'sliding-attention:As', 'mh-sliding-attention:mAs']);
    for (const layer of ATTENTION_LAYERS) {
      const config = resolveLayerConfig(layer.name);
      expect(countLayerParameters(layer, config, 128, 128)).toBe(66_048);
      expect(layer.stateSize(config, 128)).toBeNull();
    }
    const g = new Graph();
    const params = new ParamFactory(g, 0, 'current');
    const x = g.input([1, 4, 128], 'f32', 'x');
    const y = ATTENTION_LAYERS[1]!.build({ g, params, dim: 128, maxLength: 4, name: 'layers.0' }, x, resolveLayerConfig('mh-attention'));
    expect(y.shape).toEqual([1, 4, 128]);
    expect(g.params.map((p) => `${p.label} [${p.shape.join(', ')}]`)).toEqual([
      'layers.0.Wqkv.weight [384, 128]',
      'layers.0.Wqkv.bias [384]',
      'layers.0.out_proj.weight [128, 128]',
      'layers.0.out_proj.bias [128]',
    ]);
  });

  it('validate() refuses unknown keys and bad values, naming the key', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['attention', { n_head: 2 }, /attention: unknown config key 'n_head'/],
      ['mh-attention', { n_heads: 3 }, /'n_heads' \(3\) must divide 'dim'/],
      ['mh-attention', { rotary_emb_dim: 4 }, /'rotary_emb_dim' must equal the head dim/],
      ['attention', { causal: false }, /'causal' must be true/],
      ['attention', { dropout: 0.1 }, /'dropout' must be 0/],
      ['sliding-attention', { window_size: [32] }, /'window_size'/],
      ['sliding-attention', { window_size: [-1, 32] }, /'window_size'/],
      ['sliding-attention', { window_size: [2.5, 3] }, /'window_size'/],
      ['attention', { use_flash_attn: 'yes' }, /'use_flash_attn'/],
    ];
    for (const [name, overrides, message] of bad) expect(() => resolveLayerConfig(name, overrides)).toThrow(message);
    expect(() => resolveLayerConfig('mh-attention', { dim: 16, n_heads: 2, rotary_emb_dim: 8, window_size: [3, 3] })).not.toThrow();
  });
});
