// The `__metadata__` a weights file carries (safetensors allows only string values): which model
// the weights belong to, so an import can refuse weights of another model with the first
// difference, and the seed they were initialised from.

import { canonicalJson } from '../train/canonicalJson.ts';
import { specOf, type ArchitectureSpec, type Backbone, type ResolvedArchitecture } from '../model/architecture.ts';
import type { WeightsContext } from './parameterLayout.ts';

export const WEIGHTS_FORMAT = 'mad-lab-state-dict';
export const WEIGHTS_FORMAT_VERSION = 1;
export const WEIGHTS_PRODUCER = 'MAD Lab';

export interface WeightsDescription {
  architecture: ArchitectureSpec | ResolvedArchitecture;
  context: WeightsContext;
  backbone: Backbone;
  /** The seed the model was initialised from (null when not known). */
  seed: number | null;
  /** Layers exported under our labels because mad-lab lacks them. */
  unmappedLayers: readonly { index: number; type: string }[];
}

/** The model's architecture as the file records it: the spec without its display name. */
function recordedSpec(architecture: ArchitectureSpec | ResolvedArchitecture): Record<string, unknown> {
  const { name: _name, ...spec } = specOf(architecture);
  return spec;
}

export function weightsMetadata(d: WeightsDescription): Record<string, string> {
  const metadata: Record<string, string> = {
    format: WEIGHTS_FORMAT,
    format_version: String(WEIGHTS_FORMAT_VERSION),
    producer: WEIGHTS_PRODUCER,
    architecture: canonicalJson(recordedSpec(d.architecture)),
    backbone: d.backbone,
    vocab_size: String(d.context.vocabSize),
    max_length: String(d.context.maxLength),
    names: d.unmappedLayers.length === 0 ? 'mad-lab' : 'mad-lab except the unmapped layers, which keep MAD Lab names',
  };
  if (d.seed !== null) metadata.seed = String(d.seed);
  if (d.unmappedLayers.length > 0) metadata.unmapped_layers = d.unmappedLayers.map((l) => `${l.index}:${l.type}`).join(',');
  return metadata;
}

/** The architecture a file's metadata records, or null when it records none (a state dict saved by mad-lab). */
export function recordedArchitecture(metadata: Readonly<Record<string, string>>, source: string): ArchitectureSpec | null {
  if (metadata.architecture === undefined) return null;
  try {
    return JSON.parse(metadata.architecture) as ArchitectureSpec;
  } catch {
    throw new Error(`${source}: its metadata 'architecture' is not valid JSON`);
  }
}

/** The first place two plain values differ, as "path: file has X, model has Y", or null when equal. */
export function firstDifference(file: unknown, model: unknown, path = 'architecture'): string | null {
  if (canonicalJson(file) === canonicalJson(model)) return null;
  const bothObjects = typeof file === 'object' && file !== null && typeof model === 'object' && model !== null && Array.isArray(file) === Array.isArray(model);
  if (bothObjects) {
    if (Array.isArray(file) && Array.isArray(model) && file.length !== model.length) return `${path}: the file has ${file.length} entries, the model ${model.length}`;
    const keys = [...new Set([...Object.keys(file), ...Object.keys(model)])].sort();
    for (const key of keys) {
      const sub = Array.isArray(file) ? `${path}[${key}]` : `${path}.${key}`;
      const diff = firstDifference((file as Record<string, unknown>)[key], (model as Record<string, unknown>)[key], sub);
      if (diff !== null) return diff;
    }
  }
  const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 80));
  return `${path}: the file has ${show(file)}, the model has ${show(model)}`;
}

/**
 * Why a file's metadata says its weights belong to another model than `d`, or null when they fit
 * (or the file records nothing to compare: a state dict saved by mad-lab is checked by names and shapes alone).
 */
export function metadataMismatch(metadata: Readonly<Record<string, string>>, d: Omit<WeightsDescription, 'seed' | 'unmappedLayers'>, source: string): string | null {
  if (metadata.format_version !== undefined && Number(metadata.format_version) > WEIGHTS_FORMAT_VERSION) {
    return `it was written in weights format ${metadata.format_version}; this version reads up to ${WEIGHTS_FORMAT_VERSION}`;
  }
  const recorded = recordedArchitecture(metadata, source);
  if (recorded !== null) {
    const { name: _name, ...fileSpec } = recorded as ArchitectureSpec & Record<string, unknown>;
    const diff = firstDifference(fileSpec, recordedSpec(d.architecture));
    if (diff !== null) return diff;
  }
  const fields: [string, string][] = [
    ['backbone', d.backbone],
    ['vocab_size', String(d.context.vocabSize)],
    ['max_length', String(d.context.maxLength)],
  ];
  for (const [key, expected] of fields) {
    if (metadata[key] !== undefined && metadata[key] !== expected) return `${key}: the file has ${metadata[key]}, the model has ${expected}`;
  }
  return null;
}
