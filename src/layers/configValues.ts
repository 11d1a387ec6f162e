// Typed reads of a layer config with messages that name the layer and the key, so a bad
// override in the builder's inspector or a hand-edited yml says exactly what is wrong.

import type { LayerConfig } from './types.ts';

export function checkKeys(layer: string, config: LayerConfig, allowed: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) throw new Error(`${layer}: unknown config key '${key}' (known: ${allowed.join(', ')})`);
  }
}

export function readInteger(layer: string, config: LayerConfig, key: string, { min = 1 } = {}): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${layer}: '${key}' must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An integer, or null (mad-lab's "derive it") when absent or null. */
export function readOptionalInteger(layer: string, config: LayerConfig, key: string, { min = 1 } = {}): number | null {
  return config[key] === null || config[key] === undefined ? null : readInteger(layer, config, key, { min });
}

export function readNumber(layer: string, config: LayerConfig, key: string, { min = -Infinity, max = Infinity } = {}): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new Error(`${layer}: '${key}' must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function readBoolean(layer: string, config: LayerConfig, key: string): boolean {
  const v = config[key];
  if (typeof v !== 'boolean') throw new Error(`${layer}: '${key}' must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
