// mad-lab's `mh-hyena` (MultiHeadHyenaOperator, docs/protocol.md §4.3), order 2, I = inner_factor·d:
//   u = Linear(d → 3I/4, bias)(x) tiled 4× (proj_groups defaults to 4), short filter on 3I channels,
//   x1, x2, v = consecutive I-channel blocks.
//   Long filter of width W = I / num_heads (the "head dim"); the channels are grouped as
//   c = a·H + i with H = num_heads channels per group and W groups (8 groups of 16 at d = 128:
//   the code's quirk), group a using filter f_a and skip D_a:
//     M_a[i,j](t) = Σ_{s≤t} f_a(t−s)·v_i(s)·x2_j(s) + D_a·v_i(t)·x2_j(t)
//     y[a·H + j](t) = Σ_i x1[a·H + i](t)·M_a[i,j](t)
//   then out_proj Linear(I → d, bias).
// On the GPU the whole multi-head convolution is one fused op (mhFftConv) on the short-filtered
// uc = x1 | x2 | v: the H² products per group are formed and FFT-convolved in workgroup memory,
// never stored, so memory stays O(B·T·I) at any sequence length.

import { tileChannels } from '../../engine/ops/channelWrap/channelWrap.ts';
import { mhFftConv } from '../../engine/ops/fftConv/mhFftConv.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { ConfigError, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from '../types.ts';
import { HYENA_COMMON_KEYS, hyenaFilter, readHyenaCommon, shortFilter, skipWeight } from './hyenaFilter.ts';

const KEYS = [...HYENA_COMMON_KEYS, 'proj_groups'] as const;
const PROJ_GROUPS_DEFAULT = 4;

interface MhHyenaConfig {
  inner: number;
  heads: number;
  groups: number;
  shortK: number;
  filterOrder: number;
}

/** `dim`: the model width the layer is built at (ctx.dim; the yml's own 'dim' when validating). */
function readConfig(config: LayerConfig, dim: number): MhHyenaConfig {
  const c = readHyenaCommon('mh-hyena', config, KEYS);
  const inner = c.innerFactor * dim;
  if (c.convHeads !== c.numHeads) throw new ConfigError('mh-hyena', ['long_conv_cfg', 'num_heads'], `long_conv_cfg 'num_heads' (${c.convHeads}) must equal 'num_heads' (${c.numHeads})`);
  if (inner % c.numHeads !== 0) throw new ConfigError('mh-hyena', 'num_heads', `'num_heads' ${c.numHeads} must divide the inner width ${inner}`);
  const groups = config.proj_groups === undefined ? PROJ_GROUPS_DEFAULT : readInteger('mh-hyena', config, 'proj_groups');
  if ((3 * inner) % groups !== 0) throw new ConfigError('mh-hyena', 'proj_groups', `'proj_groups' ${groups} must divide 3·inner width ${3 * inner}`);
  return { inner, heads: c.numHeads, groups, shortK: c.shortFilterOrder, filterOrder: c.filterOrder };
}

export function mhHyena(ctx: LayerContext, x: Tensor, c: MhHyenaConfig): Tensor {
  const { g, params, dim, name } = ctx;
  const T = x.shape[x.rank - 2]!;
  const I = c.inner;
  const H = c.heads; // channels per group
  const W = I / H; // filter width = number of groups
  const proj = (3 * I) / c.groups;
  const wIn = params.linearWeight(proj, dim, `${name}.in_proj.weight`);
  const bIn = params.linearBias(proj, `${name}.in_proj.bias`);
  const u = linear(g, x, wIn, bIn);
  const uc = shortFilter(ctx, c.groups > 1 ? tileChannels(g, u, c.groups) : u, c.shortK);
  const k = hyenaFilter(ctx, W, c.filterOrder, T);
  const d = skipWeight(ctx, W);
  const y = mhFftConv(g, uc, k, d, H); // x1 | x2 | v are uc's three I-channel blocks
  const wOut = params.linearWeight(dim, I, `${name}.out_proj.weight`);
  const bOut = params.linearBias(dim, `${name}.out_proj.bias`);
  return linear(g, y, wOut, bOut);
}

export const mhHyenaLayer: LayerDefinition = {
  name: 'mh-hyena',
  shorthand: 'mH',
  kind: 'sequence-mixer',
  description: 'Multi-head Hyena: per-group 16×16 outer-product states mixed over time by implicit long filters.',
  validate(config) {
    readConfig(config, readInteger('mh-hyena', config, 'dim'));
  },
  build(ctx, x, config) {
    return mhHyena(ctx, x, readConfig(config, ctx.dim));
  },
  stateSize: () => null,
};
