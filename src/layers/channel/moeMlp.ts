// mad-lab's `moe-mlp` channel mixer (docs/protocol.md §4.1, MoeMlp):
//   z = down1(up1(x) ⊙ GELU_tanh(up2(x)))          up1, up2: d → inner·E; down1: inner·E → d·E (dense)
//   s = router(x) (with bias);  g = moeGate(s, k)   scores below the k-th largest → 0, softmax over all E
//   y_c = Σ_e z[c·E + e] · g_e                      (expertMix; expert axis fastest)
// No biases except the router's. The `gates` parameter [E, inner] ~ N(0, 1) is created and never
// used, as in mad-lab: it counts as a parameter (and is weight-decayed) but gets no gradient.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { expertMix } from '../../engine/ops/expertMix/expertMix.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { moeGate } from '../../engine/ops/moeGate/moeGate.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { normal } from '../../engine/init.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'dim_inner', 'num_experts', 'active_experts', 'bias', 'drop_rate'] as const;

export interface MoeMlpParams {
  up1: Tensor; // [inner·E, d]
  up2: Tensor; // [inner·E, d]
  down1: Tensor; // [d·E, inner·E]
  router: Tensor; // [E, d]
  routerBias: Tensor; // [E]
}

/** x [..., d] → [..., d]; `active` experts per token (k of the gate). */
export function moeMlpForward(g: Graph, x: Tensor, p: MoeMlpParams, active: number): Tensor {
  const h = mul(g, linear(g, x, p.up1), linear(g, x, p.up2, undefined, 'gelu-tanh'));
  const z = linear(g, h, p.down1);
  const gate = moeGate(g, linear(g, x, p.router, p.routerBias), active);
  return expertMix(g, z, gate);
}

function readMoeConfig(config: LayerConfig): { inner: number; experts: number; active: number } {
  const inner = readInteger('moe-mlp', config, 'dim_inner');
  const experts = readInteger('moe-mlp', config, 'num_experts');
  const active = readInteger('moe-mlp', config, 'active_experts');
  if (active > experts) throw new ConfigError('moe-mlp', 'active_experts', `'active_experts' (${active}) must be ≤ num_experts (${experts})`);
  return { inner, experts, active };
}

export const moeMlpLayer: LayerDefinition = {
  name: 'moe-mlp',
  shorthand: 'MoE',
  kind: 'channel-mixer',
  description: 'Mixture-of-experts GLU: 8 experts of inner width 16, a router picks the top 2 per token.',
  validate(config: LayerConfig) {
    checkKeys('moe-mlp', config, KEYS);
    readInteger('moe-mlp', config, 'dim');
    readMoeConfig(config);
    if (readBoolean('moe-mlp', config, 'bias')) throw new ConfigError('moe-mlp', 'bias', 'bias true is not supported (mad-lab uses none)');
    if (config.drop_rate !== undefined && readNumber('moe-mlp', config, 'drop_rate', { min: 0, max: 1 }) !== 0) {
      throw new ConfigError('moe-mlp', 'drop_rate', 'drop_rate must be 0 (MAD trains without dropout)');
    }
  },
  build(ctx, x, config) {
    const { g, params, dim, name } = ctx;
    const { inner, experts, active } = readMoeConfig(config);
    const hi = inner * experts;
    const p: MoeMlpParams = {
      up1: params.linearWeight(hi, dim, `${name}.up1.weight`),
      up2: params.linearWeight(hi, dim, `${name}.up2.weight`),
      down1: params.linearWeight(dim * experts, hi, `${name}.down1.weight`),
      router: params.linearWeight(experts, dim, `${name}.router.weight`),
      routerBias: params.linearBias(experts, `${name}.router.bias`),
    };
    params.raw([experts, inner], `${name}.gates`, (rng, n) => normal(rng, n, 1)); // unused, as in mad-lab
    return moeMlpForward(g, x, p, active);
  },
  stateSize: () => 0,
};
