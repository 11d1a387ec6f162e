// Builds a model from an ArchitectureSpec: validates it, resolves every layer's config
// (configs/layers defaults + the spec's overrides, width from the spec) and records the backbone
// the spec and the task call for (spec §5: the AutoEncoder for compression, the LanguageModel
// otherwise, unless the spec names one).

import type { Graph } from '../engine/graph.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { TaskName } from '../tasks/types.ts';
import { resolveBackbone, resolveLayers, type ArchitectureSpec, type Backbone } from './architecture.ts';
import { autoEncoder } from './autoEncoder.ts';
import { languageModel, type LanguageModelConfig } from './languageModel.ts';
import type { ParamFactory } from './params.ts';

export interface ModelContext {
  vocabSize: number;
  /** mad-lab's max_length, given to every layer; the AutoEncoder sets it to the sequence length. */
  maxLength: number;
  /** Picks the backbone when the spec says 'auto' (or nothing). */
  task?: TaskName;
}

export interface BuiltModel {
  /** [B, T, V]. */
  logits: Tensor;
  backbone: Backbone;
}

/** The backbone's config for a spec (layers resolved and validated). */
export function modelConfig(spec: ArchitectureSpec, context: ModelContext, backbone: Backbone): LanguageModelConfig {
  if (!Number.isInteger(context.vocabSize) || context.vocabSize < 1) throw new Error(`vocabSize must be a positive integer, got ${context.vocabSize}`);
  if (!Number.isInteger(context.maxLength) || context.maxLength < 1) throw new Error(`maxLength must be a positive integer, got ${context.maxLength}`);
  if (backbone === 'autoencoder' && (spec.dim % 2 !== 0 || spec.dim < 4)) {
    throw new Error(`the autoencoder's sinusoidal table needs an even dim ≥ 4, got ${spec.dim}`);
  }
  return { vocabSize: context.vocabSize, dim: spec.dim, maxLength: context.maxLength, layers: resolveLayers(spec), norm: spec.norm ?? 'rms' };
}

/**
 * ids: [B, T] i32 → logits [B, T, V]. `params` carries the spec's init scheme (the caller made it;
 * the AutoEncoder overrides it with its fixed init). For the AutoEncoder the layers' max_length is
 * the sequence length T (spec §5.2).
 */
export function buildModel(g: Graph, params: ParamFactory, ids: Tensor, spec: ArchitectureSpec, context: ModelContext): BuiltModel {
  const backbone = resolveBackbone(spec, context.task);
  if (ids.rank !== 2 || ids.dtype !== 'i32') throw new Error(`buildModel: ids must be [B, T] i32, got ${ids}`);
  if (backbone === 'autoencoder') {
    const config = modelConfig(spec, { ...context, maxLength: ids.shape[1]! }, backbone);
    return { logits: autoEncoder(g, params, ids, config), backbone };
  }
  return { logits: languageModel(g, params, ids, modelConfig(spec, context, backbone)), backbone };
}
