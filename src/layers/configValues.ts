// Typed reads of a layer config with messages that name the layer and the key, so a bad
// override in the builder's inspector or a hand-edited yml says exactly what is wrong. Every
// refusal is a ConfigError that also carries the key as data, so the builder marks the field
// by its key and never searches the message for it.

import type { LayerConfig } from './types.ts';

/**
 * Where a config being read sits: a layer's name, or a nested mapping inside its config (Hyena's
 * long_conv_cfg) as the layer's name and the keys down to that mapping.
 */
export type ConfigPlace = string | { layer: string; within: readonly string[] };

/** A layer config refused: `message` is '<layer>: <reason>', `keyPath` the refused key from the top of the config. */
export class ConfigError extends Error {
  /** The keys from the top of the layer's config down to the refused one, e.g. ['long_conv_cfg', 'bias']. */
  readonly keyPath: readonly string[];

  constructor(
    readonly layer: string,
    key: string | readonly string[],
    /** The message without the layer's name: what a field of that layer shows beside it. */
    readonly reason: string,
  ) {
    super(`${layer}: ${reason}`);
    this.name = 'ConfigError';
    this.keyPath = typeof key === 'string' ? [key] : key;
  }

  /** The refused key itself ('n_heads', 'bias'). */
  get key(): string {
    return this.keyPath.at(-1)!;
  }
}

/** The place of the mapping under `key` of the config at `place`. */
export function nestedPlace(place: ConfigPlace, key: string): ConfigPlace {
  return typeof place === 'string' ? { layer: place, within: [key] } : { layer: place.layer, within: [...place.within, key] };
}

/** A refusal of `key` in the config at `place`; inside a nested mapping the reason starts with its keys ('long_conv_cfg: …'). */
export function configError(place: ConfigPlace, key: string, text: string): ConfigError {
  if (typeof place === 'string') return new ConfigError(place, key, text);
  const { layer, within } = place;
  return new ConfigError(layer, [...within, key], within.length > 0 ? `${within.join('.')}: ${text}` : text);
}

export function checkKeys(place: ConfigPlace, config: LayerConfig, allowed: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) throw configError(place, key, `unknown config key '${key}' (known: ${allowed.join(', ')})`);
  }
}

export function readInteger(place: ConfigPlace, config: LayerConfig, key: string, { min = 1 } = {}): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw configError(place, key, `'${key}' must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An integer, or null (mad-lab's "derive it") when absent or null. */
export function readOptionalInteger(place: ConfigPlace, config: LayerConfig, key: string, { min = 1 } = {}): number | null {
  return config[key] === null || config[key] === undefined ? null : readInteger(place, config, key, { min });
}

export function readNumber(place: ConfigPlace, config: LayerConfig, key: string, { min = -Infinity, max = Infinity } = {}): number {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw configError(place, key, `'${key}' must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function readBoolean(place: ConfigPlace, config: LayerConfig, key: string): boolean {
  const v = config[key];
  if (typeof v !== 'boolean') throw configError(place, key, `'${key}' must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
