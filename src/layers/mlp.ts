// mad-lab's `mlp` channel mixer (spec §4.1): y = W2 · gelu_tanh(W1 · x), no biases, inner
// width 4·d by default. The activation is fused into the first matmul's epilogue.

import type { Graph } from '../engine/graph.ts';
import { linear } from '../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { ParamFactory } from '../model/params.ts';

export interface MlpConfig {
  dim: number;
  /** Default 4·dim. */
  dimInner?: number;
}

export function mlp(g: Graph, params: ParamFactory, x: Tensor, config: MlpConfig, name: string): Tensor {
  const inner = config.dimInner ?? 4 * config.dim;
  const w1 = params.linearWeight(inner, config.dim, `${name}.fc1.weight`);
  const w2 = params.linearWeight(config.dim, inner, `${name}.fc2.weight`);
  return linear(g, linear(g, x, w1, undefined, 'gelu-tanh'), w2);
}
