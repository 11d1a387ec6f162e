// mad-lab's `swiglu` channel mixer (docs/protocol.md §4.1): y = W3 (SiLU(W1 x) ⊙ W2 x), no biases. The
// inner width ignores the yml's dim_inner: int(2·d·4/3) rounded up to a multiple of 16 (352 at
// d = 128), as mad-lab's GLU computes it. SiLU is fused into W1's matmul epilogue.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber, readOptionalInteger } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'dim_inner', 'drop_rate', 'bias'] as const;

/** mad-lab GLU's inner width: int(2·dim·4/3) rounded up to a multiple of 16. */
export function swigluInnerWidth(dim: number, multipleOf = 16): number {
  const inner = Math.floor((2 * dim * 4) / 3);
  return multipleOf * Math.ceil(inner / multipleOf);
}

/** x [..., d]; w1, w2 [inner, d]; w3 [d, inner]. */
export function swigluForward(g: Graph, x: Tensor, w1: Tensor, w2: Tensor, w3: Tensor): Tensor {
  const gate = linear(g, x, w1, undefined, 'silu');
  const up = linear(g, x, w2);
  return linear(g, mul(g, gate, up), w3);
}

export const swigluLayer: LayerDefinition = {
  name: 'swiglu',
  shorthand: 'Sg',
  kind: 'channel-mixer',
  description: 'SwiGLU: SiLU-gated MLP with inner width 352 (mad-lab ignores dim_inner), no mixing across time.',
  validate(config: LayerConfig) {
    checkKeys('swiglu', config, KEYS);
    readInteger('swiglu', config, 'dim');
    readOptionalInteger('swiglu', config, 'dim_inner'); // accepted and ignored, as in mad-lab
    if (readNumber('swiglu', config, 'drop_rate', { min: 0, max: 1 }) !== 0) throw new ConfigError('swiglu', 'drop_rate', 'drop_rate must be 0 (MAD trains without dropout)');
    if (readBoolean('swiglu', config, 'bias')) throw new ConfigError('swiglu', 'bias', 'bias true is not supported (mad-lab uses none)');
  },
  build(ctx, x) {
    const { g, params, dim, name } = ctx;
    const inner = swigluInnerWidth(dim);
    const w1 = params.linearWeight(inner, dim, `${name}.w1.weight`);
    const w2 = params.linearWeight(inner, dim, `${name}.w2.weight`);
    const w3 = params.linearWeight(dim, inner, `${name}.w3.weight`);
    return swigluForward(g, x, w1, w2, w3);
  },
  stateSize: () => 0,
};
