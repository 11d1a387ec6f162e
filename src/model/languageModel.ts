// The LanguageModel backbone (spec §5.1): token embedding, a pre-norm residual around every
// layer (x ← x + layer(norm(x))), a final norm and a head with bias; no positional embedding.
// Layers are functions of the normalised input, so any mixer or channel mixer plugs in.

import type { Graph } from '../engine/graph.ts';
import { add } from '../engine/ops/binary/binary.ts';
import { embedding } from '../engine/ops/embedding/embedding.ts';
import { layernorm } from '../engine/ops/layernorm/layernorm.ts';
import { linear } from '../engine/ops/matmul/matmul.ts';
import { rmsnorm } from '../engine/ops/rmsnorm/rmsnorm.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { LayerConfig, LayerDefinition } from '../layers/types.ts';
import type { ParamFactory } from './params.ts';

/** benchmark.py uses RMSNorm; mad-lab's train.py CLI uses LayerNorm (spec §5.1, §10.9). */
export type NormKind = 'rms' | 'layer';

/** One layer of the stack: a registry definition and its (validated) config. */
export interface LayerSpec {
  definition: LayerDefinition;
  config: LayerConfig;
}

export interface LanguageModelConfig {
  vocabSize: number;
  dim: number;
  /** mad-lab's max_length, given to every layer (the task's sequence length). */
  maxLength: number;
  layers: readonly LayerSpec[];
  norm?: NormKind;
}

function norm(g: Graph, params: ParamFactory, x: Tensor, kind: NormKind, dim: number, name: string): Tensor {
  const weight = params.ones([dim], `${name}.weight`);
  if (kind === 'rms') return rmsnorm(g, x, weight);
  return layernorm(g, x, weight, params.zeros([dim], `${name}.bias`));
}

/** ids: [B, T] i32 → logits [B, T, V]. */
export function languageModel(g: Graph, params: ParamFactory, ids: Tensor, config: LanguageModelConfig): Tensor {
  const { vocabSize, dim } = config;
  const kind = config.norm ?? 'rms';
  let x = embedding(g, ids, params.embedding(vocabSize, dim, 'embedding.weight'));
  config.layers.forEach(({ definition, config: layerConfig }, i) => {
    const name = `layers.${i}`;
    const ctx = { g, params, dim, maxLength: config.maxLength, name: `${name}.${definition.name}` };
    x = add(g, x, definition.build(ctx, norm(g, params, x, kind, dim, `${name}.norm`), layerConfig));
  });
  const head = params.linearWeight(vocabSize, dim, 'head.weight');
  return linear(g, norm(g, params, x, kind, dim, 'final_norm'), head, params.linearBias(vocabSize, 'head.bias'));
}
