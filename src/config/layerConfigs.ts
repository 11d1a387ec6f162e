// Layer defaults from configs/layers/<name>.yml (read through configFiles.ts on first use), parsed
// with `yaml`. Returns plain objects; each layer validates its own keys (src/layers).

import { parse } from 'yaml';
import { configTexts } from './configFiles.ts';

let texts: Record<string, string> | null = null;

function layerTexts(): Record<string, string> {
  texts ??= configTexts('layers', () => import.meta.glob('../../configs/layers/*.yml', { query: '?raw', import: 'default', eager: true }));
  return texts;
}

/** The names of every configs/layers/*.yml. */
export function layerConfigNames(): string[] {
  return Object.keys(layerTexts()).sort();
}

/** The parsed defaults of configs/layers/<name>.yml; throws naming the file when missing or malformed. */
export function layerDefaults(name: string): Record<string, unknown> {
  const text = layerTexts()[name];
  if (text === undefined) throw new Error(`configs/layers/${name}.yml does not exist`);
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new Error(`configs/layers/${name}.yml is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`configs/layers/${name}.yml must be a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}
