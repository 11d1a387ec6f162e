// Parameter and state counts of a whole model, by tracing: the model is built into a throwaway
// graph (planning only: nothing touches a GPU and no initial value is drawn, so a vocabulary or
// width at the size policy's caps counts in milliseconds) and its parameters are grouped by the labels the
// backbones give them, so the counts shown are the counts that train. State sizes come from
// each layer's LayerDefinition.stateSize (recurrent state per sequence, null when it grows with
// the sequence length).

import { Graph } from '../engine/graph.ts';
import type { TaskName } from '../tasks/types.ts';
import { modelId, resolveArchitecture, resolveBackbone, type ArchitectureSpec, type Backbone, type ResolvedArchitecture } from './architecture.ts';
import { buildModel } from './build.ts';
import { ParamFactory } from '../engine/params.ts';

export interface LayerCount {
  index: number;
  type: string;
  shorthand: string;
  parameters: number;
  /** Floats per sequence, or null when the state grows with the length (attention, long convolutions). */
  stateSize: number | null;
}

export interface ModelCount {
  id: string;
  backbone: Backbone;
  layers: LayerCount[];
  /** Token embedding V·d. */
  embedding: number;
  /** Every norm's parameters: one per layer and the final one (LanguageModel) or the decoder's three. */
  norms: number;
  /** LanguageModel: Linear(d→V) with bias. AutoEncoder: the decoder's three Linears. */
  head: number;
  /** Everything: layers, embedding, norms and head. */
  total: number;
  /** Σ layer state sizes, or null when some layer's state grows with the length. */
  stateTotal: number | null;
}

export interface CountContext {
  vocabSize: number;
  /** mad-lab's max_length (the benchmark's: the task's seq_len); the AutoEncoder's sequence length. */
  maxLength: number;
  task?: TaskName;
}

/** Traces the model of `architecture` (batch 1, T = maxLength) and counts its parameters by owner; a resolved one is not checked again. */
export function countModel(architecture: ArchitectureSpec | ResolvedArchitecture, context: CountContext): ModelCount {
  const resolved = resolveArchitecture(architecture);
  const { spec } = resolved;
  // Parameters are the same whichever kernels the ops record, so any target counts them.
  const g = new Graph('cpu');
  const params = ParamFactory.planning(g, spec.init);
  const ids = g.input([1, context.maxLength], 'i32', 'ids');
  buildModel(g, params, ids, resolved, context);
  const layers: LayerCount[] = resolved.layers.map(({ definition, config }, index) => ({
    index,
    type: definition.name,
    shorthand: definition.shorthand,
    parameters: 0,
    stateSize: definition.stateSize(config, spec.dim),
  }));
  let embedding = 0;
  let norms = 0;
  let head = 0;
  for (const p of g.params) {
    const label = p.label;
    const layer = /^layers\.(\d+)\.(.*)$/.exec(label);
    if (layer) {
      if (layer[2]!.startsWith('norm.')) norms += p.size;
      else layers[Number(layer[1])]!.parameters += p.size;
    } else if (label.startsWith('embedding.')) embedding += p.size;
    else if (label.startsWith('final_norm.') || /^decoder\.\d+\.norm\./.test(label)) norms += p.size;
    else if (label.startsWith('head.') || label.startsWith('decoder.')) head += p.size;
    else throw new Error(`countModel: parameter '${label}' belongs to no layer (layers must prefix their parameters with ctx.name)`);
  }
  const total = g.params.reduce((n, p) => n + p.size, 0);
  const states = layers.map((l) => l.stateSize);
  const stateTotal = states.some((s) => s === null) ? null : (states as number[]).reduce((a, b) => a + b, 0);
  return { id: modelId(spec), backbone: resolveBackbone(spec, context.task), layers, embedding, norms, head, total, stateTotal };
}
