// The AutoEncoder backbone of the compression task (docs/protocol.md §5.2). Encoder: the LanguageModel's
// trunk (embedding + pre-norm residual layers). Pooling: the last position x[:, −1], where the
// compression token sits, with no norm before it. Decoder, fixed: the pooled vector e broadcast
// over the L positions plus a fixed sinusoidal table, then per position
// Norm → Linear(d→d) → GELU(erf) → Norm → Linear(d→d) → GELU(erf) → Norm → Linear(d→V), all
// Linears with bias. Logits [B, L, V] are scored against targets = inputs.
//
// Initialisation is fixed (docs/protocol.md §5.2 item 5): every Linear weight N(0, 0.02) and every bias 0,
// the layers' own Linears included and Mamba's "no re-init" flag ignored; that is the 'paper'
// scheme, so the factory is switched to it whatever scheme the caller chose.

import type { Graph } from '../engine/graph.ts';
import { add } from '../engine/ops/binary/binary.ts';
import { linear } from '../engine/ops/matmul/matmul.ts';
import { lastPosition } from '../engine/ops/selectPosition/selectPosition.ts';
import type { Tensor } from '../engine/tensor.ts';
import { normLayer, residualTrunk, type LanguageModelConfig } from './languageModel.ts';
import type { ParamFactory } from '../engine/params.ts';

export type AutoEncoderConfig = LanguageModelConfig;

/**
 * The decoder's fixed positional table, [L, dim] row-major: PE_p = [sin(p·ω_0 … p·ω_{h−1}),
 * cos(p·ω_0 … p·ω_{h−1})] concatenated (not interleaved), h = dim/2, ω_k = exp(−k·ln(10000)/(h−1))
 * (at dim 128: ω_k = exp(−k·ln(10000)/63)). Computed in f64, rounded once to f32.
 */
export function sinusoidalTable(length: number, dim: number): Float32Array {
  if (dim % 2 !== 0 || dim < 4) throw new Error(`autoencoder: the sinusoidal table needs an even dim ≥ 4, got ${dim}`);
  const half = dim / 2;
  const table = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    for (let k = 0; k < half; k++) {
      const angle = p * Math.exp((-k * Math.log(10000)) / (half - 1));
      table[p * dim + k] = Math.sin(angle);
      table[p * dim + half + k] = Math.cos(angle);
    }
  }
  return table;
}

/** ids: [B, L] i32 → logits [B, L, V]. Decoder parameters are labelled 'decoder.*'. */
export function autoEncoder(g: Graph, paramsIn: ParamFactory, ids: Tensor, config: AutoEncoderConfig): Tensor {
  const params = paramsIn.withScheme('paper');
  const { vocabSize, dim } = config;
  const kind = config.norm ?? 'rms';
  const [batch, length] = ids.shape as [number, number];
  const x = residualTrunk(g, params, ids, config);
  const pooled = g.view(lastPosition(g, x), [batch, 1, dim]);
  const table = g.input([1, length, dim], 'f32', 'decoder.positional_table', sinusoidalTable(length, dim));
  let h = add(g, pooled, table); // [B, 1, d] + [1, L, d] → [B, L, d]
  const block = (inDim: number, outDim: number, i: number, activation: 'gelu-erf' | 'none'): void => {
    const name = `decoder.${i}`;
    const normed = normLayer(g, params, h, kind, inDim, `${name}.norm`);
    const w = params.linearWeight(outDim, inDim, `${name}.linear.weight`);
    const b = params.linearBias(outDim, `${name}.linear.bias`);
    h = linear(g, normed, w, b, activation);
  };
  block(dim, dim, 0, 'gelu-erf');
  block(dim, dim, 1, 'gelu-erf');
  block(dim, vocabSize, 2, 'none');
  return h;
}
