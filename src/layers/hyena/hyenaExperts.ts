// mad-lab's `hyena-experts` (HyenaExpertsOperator, docs/protocol.md §4.3), order 2, I = dim_inner·num_experts:
//   u = Linear(d → 3I, bias)(x), short filter on 3I channels, x0, x1, v = I-channel blocks
//   v ← fftconv(v ⊙ x1, k, D_skip)  (filter width I, filter order from long_conv_cfg)
//   y = v ⊙ x0, read as (dim_inner, num_experts) with channel = i·E + e
//   gate = moeGate(Linear(d → E, bias)(x), active_experts)  (top-k kept, others 0, softmax over all E)
//   out = out_proj(Σ_e y[i·E + e]·gate_e), Linear(dim_inner → d, bias)

import { mul } from '../../engine/ops/binary/binary.ts';
import { sliceChannels } from '../../engine/ops/channelWrap/channelWrap.ts';
import { expertMix } from '../../engine/ops/expertMix/expertMix.ts';
import { fftConv } from '../../engine/ops/fftConv/fftConv.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { moeGate } from '../../engine/ops/moeGate/moeGate.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { ConfigError, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from '../types.ts';
import { HYENA_COMMON_KEYS, hyenaFilter, readHyenaCommon, shortFilter, skipWeight } from './hyenaFilter.ts';

const KEYS = [...HYENA_COMMON_KEYS, 'dim_inner', 'num_experts', 'active_experts'] as const;

interface HyenaExpertsConfig {
  dimInner: number;
  experts: number;
  active: number;
  shortK: number;
  filterOrder: number;
}

function readConfig(config: LayerConfig): HyenaExpertsConfig {
  const c = readHyenaCommon('hyena-experts', config, KEYS);
  if (c.numHeads !== 1) throw new ConfigError('hyena-experts', 'num_heads', `'num_heads' must be 1`);
  if (c.innerFactor !== 1) throw new ConfigError('hyena-experts', 'inner_factor', `'inner_factor' must be 1 (the width is dim_inner·num_experts)`);
  if (c.convHeads !== 1) throw new ConfigError('hyena-experts', ['long_conv_cfg', 'num_heads'], `long_conv_cfg 'num_heads' must be 1`);
  const dimInner = readInteger('hyena-experts', config, 'dim_inner');
  const experts = readInteger('hyena-experts', config, 'num_experts');
  const active = readInteger('hyena-experts', config, 'active_experts');
  if (active > experts) throw new ConfigError('hyena-experts', 'active_experts', `'active_experts' ${active} exceeds 'num_experts' ${experts}`);
  return { dimInner, experts, active, shortK: c.shortFilterOrder, filterOrder: c.filterOrder };
}

export function hyenaExperts(ctx: LayerContext, x: Tensor, c: HyenaExpertsConfig): Tensor {
  const { g, params, dim, name } = ctx;
  const T = x.shape[x.rank - 2]!;
  const I = c.dimInner * c.experts;
  const wIn = params.linearWeight(3 * I, dim, `${name}.in_proj.weight`);
  const bIn = params.linearBias(3 * I, `${name}.in_proj.bias`);
  const uc = shortFilter(ctx, linear(g, x, wIn, bIn), c.shortK);
  const x0 = sliceChannels(g, uc, 0, I);
  const x1 = sliceChannels(g, uc, I, I);
  const v = sliceChannels(g, uc, 2 * I, I);
  const k = hyenaFilter(ctx, I, c.filterOrder, T);
  const d = skipWeight(ctx, I);
  const y = mul(g, fftConv(g, mul(g, v, x1), k, d), x0);
  const wr = params.linearWeight(c.experts, dim, `${name}.router.weight`);
  const br = params.linearBias(c.experts, `${name}.router.bias`);
  const gate = moeGate(g, linear(g, x, wr, br), c.active);
  const wOut = params.linearWeight(dim, c.dimInner, `${name}.out_proj.weight`);
  const bOut = params.linearBias(dim, `${name}.out_proj.bias`);
  return linear(g, expertMix(g, y, gate), wOut, bOut);
}

export const hyenaExpertsLayer: LayerDefinition = {
  name: 'hyena-experts',
  shorthand: 'He',
  kind: 'sequence-mixer',
  description: 'Hyena with a mixture of experts: the long-convolution output is split into 8 experts, 2 routed per token.',
  validate(config) {
    readConfig(config);
  },
  build(ctx, x, config) {
    return hyenaExperts(ctx, x, readConfig(config));
  },
  stateSize: () => null,
};
