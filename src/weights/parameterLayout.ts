// Where each parameter of a model sits in the flat param pool the trainer, checkpoints and stored
// models hold (one Float32Array, every tensor at a 256-byte-aligned offset, in creation order):
// found by tracing the model exactly as the training program and the prediction program do, so the
// layout is theirs by construction.

import { Graph } from '../engine/graph.ts';
import { ParamFactory } from '../engine/params.ts';
import { resolveArchitecture, resolveBackbone, type ArchitectureSpec, type Backbone, type ResolvedArchitecture } from '../model/architecture.ts';
import { buildModel } from '../model/build.ts';
import type { TaskName } from '../tasks/types.ts';

/** What besides the architecture fixes the parameters' shapes (the same context the trainer builds with). */
export interface WeightsContext {
  vocabSize: number;
  /** mad-lab's max_length (the setting's seq_len); the AutoEncoder's sequence length. */
  maxLength: number;
  /** Picks the backbone when the spec says 'auto'. */
  task?: TaskName;
}

export interface ParameterSlot {
  /** Our label, e.g. 'layers.0.mh-attention.Wqkv.weight'. */
  label: string;
  shape: readonly number[];
  /** Offset in the pool, in floats. */
  offset: number;
  size: number;
}

export interface ParameterLayout {
  backbone: Backbone;
  slots: ParameterSlot[];
  /** Floats in the whole pool (padding between tensors included). */
  poolFloats: number;
}

function trace(architecture: ArchitectureSpec | ResolvedArchitecture, context: WeightsContext, params: (g: Graph) => ParamFactory): { g: Graph; layout: ParameterLayout } {
  const resolved = resolveArchitecture(architecture);
  const g = new Graph('cpu'); // parameters are the same whichever kernels the ops record
  const factory = params(g);
  const ids = g.input([1, context.maxLength], 'i32', 'ids');
  buildModel(g, factory, ids, resolved, context);
  const slots = g.params.map((t) => ({ label: t.label, shape: t.shape, offset: t.offset / 4, size: t.size }));
  return { g, layout: { backbone: resolveBackbone(resolved.spec, context.task), slots, poolFloats: g.plannedBytes.param / 4 } };
}

/** The parameters of a model and where they sit in its pool (planning only: no value is drawn). */
export function parameterLayout(architecture: ArchitectureSpec | ResolvedArchitecture, context: WeightsContext): ParameterLayout {
  return trace(architecture, context, (g) => ParamFactory.planning(g, resolveArchitecture(architecture).spec.init)).layout;
}

/** The whole pool of a model's initial weights at `seed`, as the trainer would start from them. */
export function initialParameterPool(architecture: ArchitectureSpec | ResolvedArchitecture, context: WeightsContext, seed: number): Float32Array {
  const { g, layout } = trace(architecture, context, (graph) => new ParamFactory(graph, seed, resolveArchitecture(architecture).spec.init));
  const pool = new Float32Array(layout.poolFloats);
  const values = g.initialData;
  g.params.forEach((t, i) => pool.set(values.get(t) as Float32Array, layout.slots[i]!.offset));
  return pool;
}
