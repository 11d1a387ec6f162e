// The layer registry: mad-lab's names (so an architecture exports to a mad-lab command line
// unchanged), each with its defaults from configs/layers/<name>.yml.

import { layerDefaults } from '../config/layerConfigs.ts';
import { mlpLayer } from './mlp.ts';
import { ATTENTION_LAYERS } from './attention/attention.ts';
import { moeMlpLayer } from './channel/moeMlp.ts';
import { rwkv5ChannelMixerLayer, rwkv6ChannelMixerLayer } from './channel/rwkvChannelMixer.ts';
import { swigluLayer } from './channel/swiglu.ts';
import { mambaLayer } from './mamba/mamba.ts';
import { mamba2Layer } from './mamba/mamba2.ts';
import { hyenaLayer } from './hyena/hyena.ts';
import { hyenaExpertsLayer } from './hyena/hyenaExperts.ts';
import { mhHyenaLayer } from './hyena/mhHyena.ts';
import { gatedLinearAttentionLayer, mhGatedLinearAttentionLayer } from './recurrent/gatedLinearAttention.ts';
import { rwkv5TimeMixerLayer, rwkv6TimeMixerLayer } from './recurrent/rwkvTimeMixer.ts';
import { linearAttentionLayer, mhLinearAttentionLayer } from './recurrent/linearAttention.ts';
import { deltaNetLayer, gatedDeltaNetLayer } from './recurrent/deltaNet.ts';
import type { LayerConfig, LayerDefinition } from './types.ts';

/** Every layer primitive, in palette order. */
export const LAYERS: readonly LayerDefinition[] = [mlpLayer, swigluLayer, moeMlpLayer, rwkv5ChannelMixerLayer, rwkv6ChannelMixerLayer, ...ATTENTION_LAYERS, mambaLayer, mamba2Layer, hyenaLayer, mhHyenaLayer, hyenaExpertsLayer, gatedLinearAttentionLayer, mhGatedLinearAttentionLayer, rwkv5TimeMixerLayer, rwkv6TimeMixerLayer, linearAttentionLayer, mhLinearAttentionLayer, deltaNetLayer, gatedDeltaNetLayer];

export function layerDefinition(name: string): LayerDefinition {
  const found = LAYERS.find((l) => l.name === name);
  if (!found) throw new Error(`unknown layer '${name}' (known: ${LAYERS.map((l) => l.name).join(', ')})`);
  return found;
}

/** configs/layers/<name>.yml with `overrides` on top, validated by the layer (a ConfigError names the refused key). */
export function resolveLayerConfig(name: string, overrides: LayerConfig = {}): LayerConfig {
  const definition = layerDefinition(name);
  const config = { ...layerDefaults(name), ...overrides };
  definition.validate(config);
  return config;
}
