// Shared pieces of the Hyena family (docs/protocol.md §4.3): the implicit long filter, the short filter,
// the long convolution's skip weight, and the config checks the three layers share.
//
// Implicit filter HyenaFilter(D, order o, seq_len = max_length), all on the GPU:
//   z  [max_length, 3] trainable: z_i = [t_i, cos(1e−4·ω_i), −sin(1e−4·ω_i)], t_i = i/(L−1), ω_i = 2πi/L
//   h = Sin(Linear(3→o)(z[0:T])) → Sin(Linear(o→o)) → Sin(Linear(o→o)) → Linear(o→D, no bias)
//       with ONE shared Sin(x) = sin(f ⊙ x), f [o] trainable, init ones (mul broadcast + unary sin)
//   k[t, c] = h[t, c] · exp(−t_t·|δ_c|), δ = linspace(ln(0.01)/1.5, ln(0.01)/0.3, D) (fixed)
// k is returned as [T, D] — the layout fftConv takes.

import { causalConv1d } from '../../engine/ops/causalConv/causalConv.ts';
import { channelWrap } from '../../engine/ops/channelWrap/channelWrap.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { normal, uniform } from '../../engine/init.ts';
import { checkKeys, ConfigError, configError, nestedPlace, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerContext } from '../types.ts';

/** Positional features z [L, 3] (row-major), as HyenaFilter's PositionalEmbedding builds them. */
export function positionalFeatures(maxLength: number): Float32Array {
  const z = new Float32Array(maxLength * 3);
  for (let i = 0; i < maxLength; i++) {
    const t = maxLength > 1 ? i / (maxLength - 1) : 0;
    const w = (2 * Math.PI * i) / maxLength;
    z[i * 3] = t;
    z[i * 3 + 1] = Math.cos(1e-4 * w);
    z[i * 3 + 2] = -Math.sin(1e-4 * w);
  }
  return z;
}

/** The fixed modulation exp(−t_i·|δ_c|) for i < T, c < D: [T, D] row-major (f64). */
export function filterDecay(T: number, maxLength: number, D: number): Float64Array {
  const out = new Float64Array(T * D);
  const lo = Math.log(1e-2) / 1.5;
  const hi = Math.log(1e-2) / 0.3;
  for (let i = 0; i < T; i++) {
    const t = maxLength > 1 ? i / (maxLength - 1) : 0;
    for (let c = 0; c < D; c++) {
      const delta = D > 1 ? lo + ((hi - lo) * c) / (D - 1) : lo;
      out[i * D + c] = Math.exp(-t * Math.abs(delta));
    }
  }
  return out;
}

/** The implicit filter k [T, width] of a layer (parameters under `${ctx.name}.filter_fn`). */
export function hyenaFilter(ctx: LayerContext, width: number, order: number, T: number): Tensor {
  const { g, params, maxLength, name } = ctx;
  if (T > maxLength) throw new Error(`${name}: sequence length ${T} exceeds max_length ${maxLength}`);
  const p = `${name}.filter_fn`;
  const z = params.raw([maxLength, 3], `${p}.pos_emb.z`, () => positionalFeatures(maxLength));
  const w1 = params.linearWeight(order, 3, `${p}.implicit_filter.0.weight`);
  const b1 = params.linearBias(order, `${p}.implicit_filter.0.bias`);
  const freq = params.ones([order], `${p}.implicit_filter.1.freq`);
  const w2 = params.linearWeight(order, order, `${p}.implicit_filter.2.weight`);
  const b2 = params.linearBias(order, `${p}.implicit_filter.2.bias`);
  const w3 = params.linearWeight(order, order, `${p}.implicit_filter.4.weight`);
  const b3 = params.linearBias(order, `${p}.implicit_filter.4.bias`);
  const w4 = params.linearWeight(width, order, `${p}.implicit_filter.6.weight`);
  // z[0:T]: a prefix of the flat table (a window of the first 3T values).
  const zt = T === maxLength ? z : g.view(channelWrap(g, g.view(z, [1, 3 * maxLength]), 0, 3 * T), [T, 3]);
  const sin = (h: Tensor): Tensor => unary(g, 'sin', mul(g, h, freq));
  let h = sin(linear(g, zt, w1, b1));
  h = sin(linear(g, h, w2, b2));
  h = sin(linear(g, h, w3, b3));
  h = linear(g, h, w4);
  const decay = g.input([T, width], 'f32', `${p}.decay`, Float32Array.from(filterDecay(T, maxLength, width)));
  return mul(g, h, decay);
}

/** Depthwise short filter (Conv1d, kernel K, padding K−1, bias, truncated: causal); PyTorch init U(±1/√K). */
export function shortFilter(ctx: LayerContext, x: Tensor, K: number): Tensor {
  const C = x.lastDim;
  const bound = 1 / Math.sqrt(K);
  const w = ctx.params.raw([C, K], `${ctx.name}.short_filter.weight`, (rng, n) => uniform(rng, n, bound));
  const b = ctx.params.raw([C], `${ctx.name}.short_filter.bias`, (rng, n) => uniform(rng, n, bound));
  return causalConv1d(ctx.g, x, w, b);
}

/** The long convolution's skip weight D ("bias"), N(0, 1), never re-initialised. */
export function skipWeight(ctx: LayerContext, width: number): Tensor {
  return ctx.params.raw([width], `${ctx.name}.filter_fn.bias`, (rng, n) => normal(rng, n, 1));
}

/** Keys every Hyena-family yml has (mad-lab's HyenaOperator arguments). */
export const HYENA_COMMON_KEYS = [
  'dim',
  'order',
  'num_heads',
  'inner_factor',
  'num_blocks',
  'fused_bias_fc',
  'outer_mixing',
  'dropout',
  'post_order_ffn',
  'short_filter_order',
  'activation',
  'long_conv_cfg',
  'nested',
] as const;

export interface HyenaCommon {
  numHeads: number;
  innerFactor: number;
  shortFilterOrder: number;
  filterOrder: number;
  /** long_conv_cfg.num_heads (1 when absent). */
  convHeads: number;
}

/** Checks what the three layers share; refuses options mad-lab has but MAD never uses. */
export function readHyenaCommon(layer: string, config: LayerConfig, keys: readonly string[]): HyenaCommon {
  checkKeys(layer, config, keys);
  readInteger(layer, config, 'dim');
  if (readInteger(layer, config, 'order', { min: 2 }) !== 2) throw new ConfigError(layer, 'order', `'order' must be 2 (MAD's setting; higher orders are not implemented)`);
  if (readInteger(layer, config, 'num_blocks') !== 1) throw new ConfigError(layer, 'num_blocks', `'num_blocks' must be 1`);
  readBoolean(layer, config, 'fused_bias_fc'); // a CUDA fusion switch: no effect on the math
  if (readBoolean(layer, config, 'outer_mixing')) throw new ConfigError(layer, 'outer_mixing', `'outer_mixing' true is not supported`);
  if (readNumber(layer, config, 'dropout', { min: 0, max: 1 }) !== 0) throw new ConfigError(layer, 'dropout', `'dropout' must be 0 (MAD trains without dropout)`);
  if (readBoolean(layer, config, 'post_order_ffn')) throw new ConfigError(layer, 'post_order_ffn', `'post_order_ffn' true is not supported`);
  if (config.activation !== 'id') throw new ConfigError(layer, 'activation', `'activation' must be 'id', got ${JSON.stringify(config.activation)}`);
  if ('nested' in config) readBoolean(layer, config, 'nested'); // never reaches the filter (docs/protocol.md §4.3)
  const lc = config.long_conv_cfg;
  if (typeof lc !== 'object' || lc === null || Array.isArray(lc)) throw new ConfigError(layer, 'long_conv_cfg', `'long_conv_cfg' must be a mapping`);
  const lcc = lc as LayerConfig;
  const where = nestedPlace(layer, 'long_conv_cfg');
  checkKeys(where, lcc, ['bias', 'filter_cls', 'filter_cfg', 'num_heads']);
  if (readBoolean(where, lcc, 'bias') !== true) throw configError(where, 'bias', `'bias' must be true`);
  if (lcc.filter_cls !== 'implicit') throw configError(where, 'filter_cls', `'filter_cls' must be 'implicit', got ${JSON.stringify(lcc.filter_cls)}`);
  const fc = lcc.filter_cfg;
  if (typeof fc !== 'object' || fc === null || Array.isArray(fc)) throw configError(where, 'filter_cfg', `'filter_cfg' must be a mapping`);
  checkKeys(nestedPlace(where, 'filter_cfg'), fc as LayerConfig, ['order']);
  return {
    numHeads: readInteger(layer, config, 'num_heads'),
    innerFactor: readInteger(layer, config, 'inner_factor'),
    shortFilterOrder: readInteger(layer, config, 'short_filter_order'),
    filterOrder: readInteger(nestedPlace(where, 'filter_cfg'), fc as LayerConfig, 'order'),
    convHeads: lcc.num_heads === undefined ? 1 : readInteger(where, lcc, 'num_heads'),
  };
}
