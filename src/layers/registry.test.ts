import { describe, expect, it } from 'vitest';
import { layerConfigNames } from '../config/layerConfigs.ts';
import { countLayerParameters } from './counting.ts';
import { LAYERS, layerDefinition, resolveLayerConfig } from './registry.ts';

/** Spec §4.0 at d = 128 (Hyena-family counts add 3·max_length; here max_length = 128). */
const PARAMS_AT_D128: Record<string, number> = {
  mlp: 131_072,
  swiglu: 135_168,
  'moe-mlp': 165_000,
  attention: 66_048,
  'mh-attention': 66_048,
  'sliding-attention': 66_048,
  'mh-sliding-attention': 66_048,
  hyena: 123_964 + 3 * 128,
  'mh-hyena': 30_478 + 3 * 128,
  'hyena-experts': 57_080 + 3 * 128,
  mamba: 107_264,
  mamba2: 103_016,
  'linear-attention': 131_584,
  'mh-linear-attention': 65_824,
  'gated-linear-attention': 86_272,
  'mh-gated-linear-attention': 86_160,
  'rwkv5-time-mixer': 82_944,
  'rwkv5-channel-mixer': 147_712,
  'rwkv6-time-mixer': 140_544,
  'rwkv6-channel-mixer': 147_712,
  'delta-net': 68_112,
  'gated-delta-net': 85_536,
};

describe('layer registry', () => {
  it('every registered layer has a configs/layers yml and vice versa', () => {
    expect(layerConfigNames()).toEqual(LAYERS.map((l) => l.name).sort());
  });

  for (const layer of LAYERS) {
    it(`${layer.name}: parameter count at d=128 matches docs/protocol.md §4`, () => {
      const expected = PARAMS_AT_D128[layer.name];
      expect(expected, `no expected count for ${layer.name}`).toBeDefined();
      expect(countLayerParameters(layer, resolveLayerConfig(layer.name), 128, 128)).toBe(expected);
    });
  }

  it('refuses unknown layers and bad overrides with a message naming them', () => {
    expect(() => layerDefinition('transformer')).toThrow(/unknown layer 'transformer'/);
    expect(() => resolveLayerConfig('mlp', { dim_innr: 3 })).toThrow(/mlp: unknown config key 'dim_innr'/);
    expect(() => resolveLayerConfig('mlp', { dim_inner: -1 })).toThrow(/mlp: 'dim_inner' must be an integer/);
  });
});
