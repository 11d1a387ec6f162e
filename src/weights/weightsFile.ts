// A model's weights as a safetensors file under mad-lab's names (docs/weights.md): export from the
// flat param pool, and import into one, checked against the model before anything is written.

import { resolveArchitecture, type ArchitectureSpec, type ResolvedArchitecture } from '../model/architecture.ts';
import { madlabNaming, type WeightsNaming } from './madlabNames.ts';
import { parameterLayout, type ParameterLayout, type WeightsContext } from './parameterLayout.ts';
import { readSafetensors, writeSafetensors, WeightsFileError, type FileTensor, type TensorToWrite } from './safetensors.ts';
import { metadataMismatch, weightsMetadata } from './weightsMetadata.ts';

/** The model a weights file is exported from or imported into. */
export interface WeightsModel {
  architecture: ArchitectureSpec | ResolvedArchitecture;
  context: WeightsContext;
}

export interface ModelWeights {
  layout: ParameterLayout;
  naming: WeightsNaming;
}

/** The layout and the mad-lab names of a model's parameters. */
export function modelWeights(model: WeightsModel): ModelWeights {
  const resolved = resolveArchitecture(model.architecture);
  const layout = parameterLayout(resolved, model.context);
  return { layout, naming: madlabNaming(resolved, layout) };
}

/** The safetensors file of a param pool: every parameter under each of its names, mad-lab's buffers, and the model in the metadata. */
export function exportWeights(model: WeightsModel, pool: Float32Array, seed: number | null): Uint8Array {
  const { layout, naming } = modelWeights(model);
  if (pool.length !== layout.poolFloats) throw new Error(`the parameters hold ${pool.length} values, the model's pool ${layout.poolFloats}`);
  const tensors: TensorToWrite[] = [];
  for (const p of naming.parameters) {
    const data = pool.slice(p.slot.offset, p.slot.offset + p.slot.size);
    for (const name of p.names) tensors.push({ name, shape: p.fileShape, data });
  }
  for (const b of naming.buffers) tensors.push({ name: b.name, shape: b.shape, data: b.values });
  const metadata = weightsMetadata({ architecture: model.architecture, context: model.context, backbone: layout.backbone, seed, unmappedLayers: naming.unmappedLayers });
  return writeSafetensors(tensors, metadata);
}

export interface ImportedWeights {
  /** The model's whole param pool, padding zero. */
  pool: Float32Array;
  metadata: Record<string, string>;
  /** The seed the file says the weights were initialised from, or null. */
  seed: number | null;
  /** Dtypes other than F32 that were converted, e.g. ['BF16 → F32 (exact): 26 tensors']. */
  conversions: string[];
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const bitsEqual = (a: Float32Array, b: Float32Array): boolean => {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
/** Buffers are recomputed by torch and by us in float32 along different paths: equal to rounding. */
const BUFFER_TOLERANCE = 1e-5;

/**
 * Reads `bytes` as the weights of `model`: the metadata must describe this model (first difference
 * named), every parameter must be there under a mad-lab name with mad-lab's shape, copies of a
 * shared tensor must agree, buffers must be what mad-lab computes, and nothing else may be in the
 * file (as load_state_dict(strict=True)). Throws a WeightsFileError saying what is wrong.
 */
export function importWeights(model: WeightsModel, bytes: Uint8Array, source = 'the weights file'): ImportedWeights {
  const { layout, naming } = modelWeights(model);
  const contents = readSafetensors(bytes, source);
  const refuse = (what: string): never => {
    throw new WeightsFileError(`${source}: ${what}`);
  };
  const mismatch = metadataMismatch(contents.metadata, { architecture: model.architecture, context: model.context, backbone: layout.backbone }, source);
  if (mismatch !== null) refuse(`its weights belong to another model (${mismatch})`);

  const byName = new Map<string, FileTensor>(contents.tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const pool = new Float32Array(layout.poolFloats);
  for (const p of naming.parameters) {
    const present = p.names.filter((n) => byName.has(n));
    if (present.length === 0) refuse(`tensor '${p.names[0]}' is missing (the model's ${p.slot.label}, shape ${shapeText(p.fileShape)})`);
    const first = byName.get(present[0]!)!;
    for (const name of present) {
      const t = byName.get(name)!;
      if (!sameShape(t.shape, p.fileShape)) refuse(`tensor '${name}' has shape ${shapeText(t.shape)}, the model needs ${shapeText(p.fileShape)}`);
      if (!bitsEqual(t.data, first.data)) refuse(`tensor '${name}' differs from '${first.name}', but mad-lab holds both as one shared tensor`);
      used.add(name);
    }
    pool.set(first.data, p.slot.offset);
  }
  for (const b of naming.buffers) {
    const t = byName.get(b.name);
    if (t === undefined) continue; // a buffer is recomputed, never read: a file saved without buffers still loads
    if (!sameShape(t.shape, b.shape)) refuse(`buffer '${b.name}' has shape ${shapeText(t.shape)}, the model's is ${shapeText(b.shape)}`);
    const worst = t.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.values[i]!) / Math.max(1, Math.abs(b.values[i]!))), 0);
    if (!(worst <= BUFFER_TOLERANCE)) refuse(`buffer '${b.name}' is not what mad-lab computes for this model (off by up to ${worst.toPrecision(3)})`);
    used.add(b.name);
  }
  const unknown = contents.tensors.filter((t) => !used.has(t.name)).map((t) => `'${t.name}'`);
  if (unknown.length > 0) refuse(`${unknown.length} tensor(s) are not in the model: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}`);

  const converted = new Map<string, number>();
  for (const t of contents.tensors) if (t.dtype !== 'F32') converted.set(t.dtype, (converted.get(t.dtype) ?? 0) + 1);
  const conversions = [...converted].map(([dtype, n]) => `${dtype} → F32 (${dtype === 'F64' ? 'rounded' : 'exact'}): ${n} tensor(s)`);
  const seedText = contents.metadata.seed;
  const seed = seedText !== undefined && /^\d+$/.test(seedText) ? Number(seedText) : null;
  return { pool, metadata: contents.metadata, seed, conversions };
}
