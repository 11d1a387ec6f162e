// mad-lab's `mlp` channel mixer (docs/protocol.md §4.1): y = W2 · gelu_tanh(W1 · x), no biases, inner
// width 4·d by default. The activation is fused into the first matmul's epilogue.

import { linear } from '../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../engine/tensor.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber, readOptionalInteger } from './configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from './types.ts';

const KEYS = ['dim', 'dim_inner', 'drop_rate', 'bias'] as const;

export function mlp(ctx: LayerContext, x: Tensor, dimInner: number): Tensor {
  const { g, params, dim, name } = ctx;
  const w1 = params.linearWeight(dimInner, dim, `${name}.fc1.weight`);
  const w2 = params.linearWeight(dim, dimInner, `${name}.fc2.weight`);
  return linear(g, linear(g, x, w1, undefined, 'gelu-tanh'), w2);
}

export const mlpLayer: LayerDefinition = {
  name: 'mlp',
  shorthand: 'M',
  kind: 'channel-mixer',
  description: 'Two-layer MLP with GELU (4× inner width): per-token capacity, no mixing across time.',
  validate(config: LayerConfig) {
    checkKeys('mlp', config, KEYS);
    readOptionalInteger('mlp', config, 'dim_inner');
    if (readNumber('mlp', config, 'drop_rate', { min: 0, max: 1 }) !== 0) throw new ConfigError('mlp', 'drop_rate', 'drop_rate must be 0 (MAD trains without dropout)');
    if (readBoolean('mlp', config, 'bias')) throw new ConfigError('mlp', 'bias', 'bias true is not supported (mad-lab uses none)');
    readInteger('mlp', config, 'dim');
  },
  build(ctx, x, config) {
    return mlp(ctx, x, readOptionalInteger('mlp', config, 'dim_inner') ?? 4 * ctx.dim);
  },
  stateSize: () => 0,
};
