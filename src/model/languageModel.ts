// The LanguageModel backbone (docs/protocol.md §5.1): token embedding, a pre-norm residual around every
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
import type { ParamFactory } from '../engine/params.ts';

/** benchmark.py uses RMSNorm; mad-lab's train.py CLI uses LayerNorm (docs/protocol.md §5.1, §10.9). */
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

/** A norm with its own parameters: RMSNorm (weight 1) or LayerNorm (weight 1, bias 0), eps 1e−5. */
export function normLayer(g: Graph, params: ParamFactory, x: Tensor, kind: NormKind, dim: number, name: string): Tensor {
  const weight = params.ones([dim], `${name}.weight`);
  if (kind === 'rms') return rmsnorm(g, x, weight);
  return layernorm(g, x, weight, params.zeros([dim], `${name}.bias`));
}

/**
 * The trunk both backbones share (docs/protocol.md §5.1 steps 1–3, §5.2 step 1): token embedding, then
 * x ← x + layer(norm(x)) for every layer. ids: [B, T] i32 → [B, T, dim], not normalised.
 * Parameter labels: 'embedding.weight', 'layers.<i>.norm.*', 'layers.<i>.<layer name>.*'.
 */
export function residualTrunk(g: Graph, params: ParamFactory, ids: Tensor, config: LanguageModelConfig): Tensor {
  const { vocabSize, dim } = config;
  const kind = config.norm ?? 'rms';
  let x = embedding(g, ids, params.embedding(vocabSize, dim, 'embedding.weight'));
  config.layers.forEach(({ definition, config: layerConfig }, i) => {
    const name = `layers.${i}`;
    const ctx = { g, params, dim, maxLength: config.maxLength, name: `${name}.${definition.name}` };
    x = add(g, x, definition.build(ctx, normLayer(g, params, x, kind, dim, `${name}.norm`), layerConfig));
  });
  return x;
}

/** ids: [B, T] i32 → logits [B, T, V]. Head parameters: 'final_norm.*', 'head.weight', 'head.bias'. */
export function languageModel(g: Graph, params: ParamFactory, ids: Tensor, config: LanguageModelConfig): Tensor {
  const { vocabSize, dim } = config;
  const x = residualTrunk(g, params, ids, config);
  const head = params.linearWeight(vocabSize, dim, 'head.weight');
  return linear(g, normLayer(g, params, x, config.norm ?? 'rms', dim, 'final_norm'), head, params.linearBias(vocabSize, 'head.bias'));
}
