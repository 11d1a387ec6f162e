// The layer registry: mad-lab's names (so an architecture exports to a mad-lab command line
// unchanged), each with its defaults from configs/layers/<name>.yml.

import { layerDefaults } from '../config/layerConfigs.ts';
import { mlpLayer } from './mlp.ts';
import type { LayerConfig, LayerDefinition } from './types.ts';

/** Every layer primitive, in palette order. */
export const LAYERS: readonly LayerDefinition[] = [mlpLayer];

export function layerDefinition(name: string): LayerDefinition {
  const found = LAYERS.find((l) => l.name === name);
  if (!found) throw new Error(`unknown layer '${name}' (known: ${LAYERS.map((l) => l.name).join(', ')})`);
  return found;
}

/** configs/layers/<name>.yml with `overrides` on top, validated by the layer. */
export function resolveLayerConfig(name: string, overrides: LayerConfig = {}): LayerConfig {
  const definition = layerDefinition(name);
  const config = { ...layerDefaults(name), ...overrides };
  definition.validate(config);
  return config;
}
