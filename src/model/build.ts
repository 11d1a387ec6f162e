// Builds a model from an ArchitectureSpec: validates it and resolves every layer's config
// (configs/layers defaults + the spec's overrides, width from the spec) unless it comes already
// resolved (checkArchitecture's ResolvedArchitecture), and records the backbone
// the spec and the task call for (docs/protocol.md §5: the AutoEncoder for compression, the LanguageModel
// otherwise, unless the spec names one).

import type { Graph } from '../engine/graph.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { TaskName } from '../tasks/types.ts';
import { resolveArchitecture, resolveBackbone, type ArchitectureSpec, type Backbone, type ResolvedArchitecture } from './architecture.ts';
import { autoEncoder } from './autoEncoder.ts';
import { languageModel, type LanguageModelConfig } from './languageModel.ts';
import type { ParamFactory } from '../engine/params.ts';

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

/** The backbone's config for a spec (layers resolved and validated, once). */
export function modelConfig(architecture: ArchitectureSpec | ResolvedArchitecture, context: ModelContext, backbone: Backbone): LanguageModelConfig {
  const { spec, layers } = resolveArchitecture(architecture);
  if (!Number.isInteger(context.vocabSize) || context.vocabSize < 1) throw new Error(`vocabSize must be a positive integer, got ${context.vocabSize}`);
  if (!Number.isInteger(context.maxLength) || context.maxLength < 1) throw new Error(`maxLength must be a positive integer, got ${context.maxLength}`);
  if (backbone === 'autoencoder' && (spec.dim % 2 !== 0 || spec.dim < 4)) {
    throw new Error(`the autoencoder's sinusoidal table needs an even dim ≥ 4, got ${spec.dim}`);
  }
  return { vocabSize: context.vocabSize, dim: spec.dim, maxLength: context.maxLength, layers, norm: spec.norm ?? 'rms' };
}

/**
 * ids: [B, T] i32 → logits [B, T, V]. `params` carries the spec's init scheme (the caller made it;
 * the AutoEncoder overrides it with its fixed init). For the AutoEncoder the layers' max_length is
 * the sequence length T (docs/protocol.md §5.2).
 */
export function buildModel(g: Graph, params: ParamFactory, ids: Tensor, architecture: ArchitectureSpec | ResolvedArchitecture, context: ModelContext): BuiltModel {
  const resolved = resolveArchitecture(architecture);
  const backbone = resolveBackbone(resolved.spec, context.task);
  if (ids.rank !== 2 || ids.dtype !== 'i32') throw new Error(`buildModel: ids must be [B, T] i32, got ${ids}`);
  if (backbone === 'autoencoder') {
    const config = modelConfig(resolved, { ...context, maxLength: ids.shape[1]! }, backbone);
    return { logits: autoEncoder(g, params, ids, config), backbone };
  }
  return { logits: languageModel(g, params, ids, modelConfig(resolved, context, backbone)), backbone };
}
