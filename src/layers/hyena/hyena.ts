// mad-lab's `hyena` (HyenaOperator, docs/protocol.md §4.3), order 2, inner width I = inner_factor·d:
//   u  = Linear(d → 3I/proj_groups, bias)(x), tiled proj_groups× to 3I channels (channel j holds u[j mod 3I/G])
//   uc = short depthwise causal conv (kernel short_filter_order, bias) on all 3I channels
//   x0, x1, v = consecutive I-channel blocks of uc
//   v ← fftconv(v ⊙ x1, k, D_skip)   k: implicit filter of width I (filter order o), D_skip ~ N(0,1)
//   y = out_proj(v ⊙ x0), Linear(I → d, bias)

import { mul } from '../../engine/ops/binary/binary.ts';
import { sliceChannels, tileChannels } from '../../engine/ops/channelWrap/channelWrap.ts';
import { fftConv } from '../../engine/ops/fftConv/fftConv.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { ConfigError, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from '../types.ts';
import { HYENA_COMMON_KEYS, hyenaFilter, readHyenaCommon, shortFilter, skipWeight } from './hyenaFilter.ts';

const KEYS = [...HYENA_COMMON_KEYS, 'proj_groups'] as const;

interface HyenaConfig {
  inner: number;
  groups: number;
  shortK: number;
  filterOrder: number;
}

/** `dim`: the model width the layer is built at (ctx.dim; the yml's own 'dim' when validating). */
function readConfig(config: LayerConfig, dim: number): HyenaConfig {
  const c = readHyenaCommon('hyena', config, KEYS);
  if (c.numHeads !== 1) throw new ConfigError('hyena', 'num_heads', `'num_heads' must be 1 (use mh-hyena for heads)`);
  if (c.convHeads !== 1) throw new ConfigError('hyena', ['long_conv_cfg', 'num_heads'], `long_conv_cfg 'num_heads' must be 1`);
  const inner = c.innerFactor * dim;
  const groups = readInteger('hyena', config, 'proj_groups');
  if ((3 * inner) % groups !== 0) throw new ConfigError('hyena', 'proj_groups', `'proj_groups' ${groups} must divide 3·inner width ${3 * inner}`);
  return { inner, groups, shortK: c.shortFilterOrder, filterOrder: c.filterOrder };
}

export function hyena(ctx: LayerContext, x: Tensor, c: HyenaConfig): Tensor {
  const { g, params, dim, name } = ctx;
  const T = x.shape[x.rank - 2]!;
  const I = c.inner;
  const proj = (3 * I) / c.groups;
  const wIn = params.linearWeight(proj, dim, `${name}.in_proj.weight`);
  const bIn = params.linearBias(proj, `${name}.in_proj.bias`);
  const u = linear(g, x, wIn, bIn);
  const uc = shortFilter(ctx, c.groups > 1 ? tileChannels(g, u, c.groups) : u, c.shortK);
  const x0 = sliceChannels(g, uc, 0, I);
  const x1 = sliceChannels(g, uc, I, I);
  const v = sliceChannels(g, uc, 2 * I, I);
  const k = hyenaFilter(ctx, I, c.filterOrder, T);
  const d = skipWeight(ctx, I);
  const conv = fftConv(g, mul(g, v, x1), k, d);
  const wOut = params.linearWeight(dim, I, `${name}.out_proj.weight`);
  const bOut = params.linearBias(dim, `${name}.out_proj.bias`);
  return linear(g, mul(g, conv, x0), wOut, bOut);
}

export const hyenaLayer: LayerDefinition = {
  name: 'hyena',
  shorthand: 'H',
  kind: 'sequence-mixer',
  description: 'Hyena: gated long convolution with an implicit (MLP-generated) filter as long as the sequence, via FFT.',
  validate(config) {
    readConfig(config, readInteger('hyena', config, 'dim'));
  },
  build(ctx, x, config) {
    return hyena(ctx, x, readConfig(config, ctx.dim));
  },
  stateSize: () => null,
};
