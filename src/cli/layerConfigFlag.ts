// `--layer-config NAME.KEY=VALUE`: a layer setting changed on the command line, as mad-lab users
// edit configs/layers/<type>.yml. NAME is a layer type (every layer of it) or a 1-based position;
// KEY is dotted for nested settings (long_conv_cfg.filter_cfg.order); VALUE is YAML (64, true,
// [64, 0], null). The layer itself judges the value (checkArchitecture), so a refusal is the
// layer's own message, prefixed with the flag occurrence that caused it.

import { parse } from 'yaml';
import { layerDefaults } from '../config/layerConfigs.ts';
import { problemConfigKeys, problemLayer, problemSentence, type ArchitectureProblem, type ArchitectureSpec } from '../model/architecture.ts';
import { UsageError } from './args.ts';

export const LAYER_CONFIG_FLAG = '--layer-config';

/** One occurrence of the flag, read. */
export interface LayerConfigEdit {
  /** The occurrence as typed, for messages. */
  text: string;
  /** A layer type, or a 0-based index (typed 1-based). */
  target: { type: string } | { index: number };
  /** The keys from the top of the layer's config down to the one set. */
  keys: string[];
  value: unknown;
}

const FORM = `${LAYER_CONFIG_FLAG} needs NAME.KEY=VALUE (NAME a layer type or 1-based position, e.g. attention.rotary_emb_dim=32 or 2.window_size=[64,0])`;

/** One `NAME.KEY=VALUE`, read; its layer is found later, against the model. */
export function parseLayerConfigEdit(text: string): LayerConfigEdit {
  const eq = text.indexOf('=');
  const path = (eq < 0 ? text : text.slice(0, eq)).split('.');
  const [name, ...keys] = path;
  if (eq < 0 || name === undefined || name === '' || keys.length === 0 || keys.some((k) => k.trim() === '')) {
    throw new UsageError(`${FORM}, got '${text}'`);
  }
  let value: unknown;
  try {
    value = parse(text.slice(eq + 1));
  } catch (error) {
    throw new UsageError(`${LAYER_CONFIG_FLAG} '${text}': VALUE is not YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); write e.g. 64, true, [64,0] or null`);
  }
  const target = /^\d+$/.test(name) ? { index: Number(name) - 1 } : { type: name };
  return { text, target, keys, value };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The indices of the layers `edit` names in `spec`; a name or position the model lacks is a usage error. */
function targetLayers(spec: ArchitectureSpec, edit: LayerConfigEdit): number[] {
  const listing = spec.layers.map((l, i) => `${i + 1} ${l.type}`).join(', ');
  if ('index' in edit.target) {
    const { index } = edit.target;
    if (index < 0 || index >= spec.layers.length) {
      throw new UsageError(`${LAYER_CONFIG_FLAG} '${edit.text}': the model has no layer ${index + 1}; positions run from 1 to ${spec.layers.length} (${listing})`);
    }
    return [index];
  }
  const { type } = edit.target;
  const indices = spec.layers.flatMap((l, i) => (l.type === type ? [i] : []));
  if (indices.length === 0) {
    throw new UsageError(`${LAYER_CONFIG_FLAG} '${edit.text}': the model has no ${type} layer; name one of its layer types or positions (${listing})`);
  }
  return indices;
}

/**
 * `overrides` with `keys` set to `value`. A nested key starts from the layer's own nested
 * mapping, else the yml default's, so the settings beside it keep their values (a layer's
 * overrides replace a nested mapping whole); a value in the way of a deeper key is replaced by a
 * mapping.
 */
function withSetting(type: string, overrides: Record<string, unknown>, keys: readonly string[], value: unknown): Record<string, unknown> {
  const out = structuredClone(overrides);
  const [top, ...rest] = keys as [string, ...string[]];
  if (rest.length === 0) {
    out[top] = value;
    return out;
  }
  const start = isRecord(out[top]) ? out[top] : layerDefaults(type)[top];
  let node: Record<string, unknown> = isRecord(start) ? structuredClone(start) : {};
  out[top] = node;
  for (const key of rest.slice(0, -1)) {
    const next: Record<string, unknown> = isRecord(node[key]) ? (node[key] as Record<string, unknown>) : {};
    node[key] = next;
    node = next;
  }
  node[rest.at(-1)!] = value;
  return out;
}

/** `spec` with every edit applied in order (a later one wins); `spec` itself is not changed. */
export function applyLayerConfigEdits(spec: ArchitectureSpec, edits: readonly LayerConfigEdit[]): ArchitectureSpec {
  const layers = spec.layers.map((l) => ({ ...l }));
  for (const edit of edits) {
    for (const i of targetLayers(spec, edit)) {
      const layer = layers[i]!;
      layers[i] = { ...layer, config: withSetting(layer.type, { ...(layer.config ?? {}) }, edit.keys, edit.value) };
    }
  }
  return { ...spec, layers };
}

const startsWith = (a: readonly string[], b: readonly string[]): boolean => b.every((k, i) => a[i] === k);

/**
 * A model problem as one sentence for the command line: the occurrence of the flag that set the
 * refused key when one did, else a hint to change that key with the flag.
 */
export function layerProblemSentence(problem: ArchitectureProblem, spec: ArchitectureSpec, edits: readonly LayerConfigEdit[]): string {
  const sentence = problemSentence(problem);
  const index = problemLayer(problem);
  const keys = problemConfigKeys(problem);
  if (index === null || keys === null) return sentence;
  const type = spec.layers[index]?.type;
  const cause = edits.findLast(
    (e) => ('index' in e.target ? e.target.index === index : e.target.type === type) && (startsWith(keys, e.keys) || startsWith(e.keys, keys)),
  );
  if (cause !== undefined) return `${LAYER_CONFIG_FLAG} '${cause.text}': ${sentence}`;
  return `${sentence} (change it with ${LAYER_CONFIG_FLAG} ${type}.${keys.join('.')}=VALUE)`;
}
