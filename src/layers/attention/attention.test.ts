import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { ParamFactory } from '../../engine/params.ts';
import { countLayerParameters } from '../counting.ts';
import { resolveLayerConfig } from '../registry.ts';
import { expectLayerMatchesReference, expectReferenceMatchesFiniteDifferences, type LayerCase } from '../testing/layerHarness.ts';
import { ATTENTION_LAYERS, attentionLayer } from './attention.ts';
import { attentionReference } from './attentionReference.ts';

// Largest |ref| ≤ 10 in every compared tensor, so 1e-5·max|ref| is at most the absolute 1e-4 this
// test held before the harness (measured ≤ 3.1e-7·max|ref|).
const TOLERANCE = { atolOfMax: 1e-5, rtol: 1e-4 };

describe('attention layers', () => {
  /** An attention config at width `dim` (rotary over the whole head, as every MAD config). */
  const attentionCase = (name: string, B: number, T: number, dim: number, heads: number, window: number | null, seed: number, range: number): LayerCase => {
    const config = resolveLayerConfig(window === null ? 'attention' : 'sliding-attention', {
      dim,
      n_heads: heads,
      rotary_emb_dim: dim / heads,
      window_size: window === null ? [-1, -1] : [window, window],
    });
    return {
      name: `attention ${name}`,
      shape: { B, T, dim, maxLength: T },
      build: (ctx, x) => attentionLayer.build(ctx, x, config),
      reference: (t, p, x) => attentionReference(t, p, x, { T, dim, heads, window }),
      weights: () => [-range, range],
      seed,
    };
  };

  it('reference layer backward matches finite differences (x and every parameter)', () => {
    expectReferenceMatchesFiniteDifferences(attentionCase('B=1 T=4 d=4 2 heads', 1, 4, 4, 2, null, 1, 1), { maxAbsDiff: 1e-7 });
    expectReferenceMatchesFiniteDifferences(attentionCase('B=2 T=5 d=4 1 head window 1', 2, 5, 4, 1, 1, 2, 1), { maxAbsDiff: 1e-7 });
  });

  // GPU layer (qkv Linear → fused rotary attention → out_proj) against the f64 layer reference,
  // forward, dx and every parameter gradient, at width 16: 2 heads of 8 (window 3) and 1 head of
  // 16. f32 GEMMs of 16-term sums on top of the kernel's ~1e-6 error.
  const cases: [string, number, number, number, number | null][] = [
    ['B=2 T=9 d=16 2 heads window 3', 2, 9, 2, 3],
    ['B=1 T=13 d=16 1 head', 1, 13, 1, null],
  ];
  for (const [i, [name, B, T, heads, window]] of cases.entries()) {
    it(`GPU layer matches the f64 reference: ${name}`, async () => {
      await expectLayerMatchesReference(attentionCase(name, B, T, 16, heads, window, 10 + i, 0.5), TOLERANCE);
    });
  }

  it('the four configs: shorthands, heads, windows, 66,048 parameters at d = 128, labels', () => {
    expect(ATTENTION_LAYERS.map((l) => `${l.name}:${l.shorthand}`)).toEqual(['attention:A', 'mh-attention:mA', 'sliding-attention:As', 'mh-sliding-attention:mAs']);
    for (const layer of ATTENTION_LAYERS) {
      const config = resolveLayerConfig(layer.name);
      expect(countLayerParameters(layer, config, 128, 128)).toBe(66_048);
      expect(layer.stateSize(config, 128)).toBeNull();
    }
    const g = new Graph('cpu');
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
