// The `mamba2` layer (Mamba-2 / SSD, Dao & Gu, ICML 2024; docs/protocol.md §4.10), mixing time
// and channels with D_in = expand·d inner channels in H = D_in / headdim heads:
//   [z | x | B | C | dt] = in_proj(h)                   Linear(d → 2·D_in + 2·G·N + H), no bias
//   [x | B | C] ← SiLU(causalConv1d([x | B | C]))       depthwise, kernel d_conv, with bias
//   Δ = softplus(dt + dt_bias)                          per head
//   y = mamba2 scan(x, Δ, B, C, A = −exp(A_log), D)     scalar decay per head (docs/kernels.md)
//   out = out_proj(RMSNorm(y ⊙ SiLU(z)))                gate first, then the norm over all D_in
//                                                       channels (one weight); no bias
// Init, under both schemes: A = U(1, 16), A_log = ln A; dt = exp(U(ln 0.001, ln 0.1)) ≥ 1e-4,
// dt_bias = softplus⁻¹(dt); D = 1; norm weight 1; conv weight/bias PyTorch's Conv1d default
// U(±1/√d_conv). in_proj and out_proj follow each scheme's rule for Linear weights.
// 103,016 parameters at d = 128 (8 heads × 32 channels, N = 8, one group); state 8·32·8 = 2,048
// (the conv's d_conv − 1 steps of window are not counted, as for mamba).

import type { Graph } from '../../engine/graph.ts';
import { add, mul } from '../../engine/ops/binary/binary.ts';
import { causalConv1d } from '../../engine/ops/causalConv/causalConv.ts';
import { MAMBA2_MAX_HEADDIM, MAMBA2_MAX_N, MAMBA2_RED_CAP, mamba2Scan } from '../../engine/ops/mamba2Scan/mamba2Scan.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { nextPow2 } from '../../engine/ops/reduce/broadcast.ts';
import { rmsnorm } from '../../engine/ops/rmsnorm/rmsnorm.ts';
import { sliceLastAxis } from '../../engine/ops/slice/slice.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { uniform } from '../../engine/init.ts';
import { checkKeys, ConfigError, readInteger } from '../configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from '../types.ts';
import { dtBiasInit } from './mamba.ts';

const KEYS = ['dim', 'd_state', 'd_conv', 'expand', 'headdim', 'ngroups'] as const;
const L = 'mamba2';
/** Ranges of the init (mamba_ssm's Mamba2 defaults). */
const A_INIT_RANGE: readonly [number, number] = [1, 16];
const DT_MIN = 0.001;
const DT_MAX = 0.1;
const DT_INIT_FLOOR = 1e-4;

export interface Mamba2Dims {
  dim: number;
  /** D_in = expand · dim */
  inner: number;
  /** H = D_in / P */
  heads: number;
  /** P */
  headdim: number;
  /** N */
  state: number;
  /** G, groups of B and C */
  groups: number;
  /** kernel of the causal conv */
  conv: number;
}

export interface Mamba2Weights {
  inProj: Tensor; // [2·D_in + 2GN + H, d]
  convWeight: Tensor; // [D_in + 2GN, K]
  convBias: Tensor; // [D_in + 2GN]
  dtBias: Tensor; // [H]
  aLog: Tensor; // [H]
  d: Tensor; // [H]
  norm: Tensor; // [D_in]
  outProj: Tensor; // [d, D_in]
}

export function mamba2Dims(config: LayerConfig, dim: number): Mamba2Dims {
  const inner = readInteger(L, config, 'expand') * dim;
  const headdim = readInteger(L, config, 'headdim');
  return {
    dim,
    inner,
    heads: inner / headdim,
    headdim,
    state: readInteger(L, config, 'd_state'),
    groups: readInteger(L, config, 'ngroups'),
    conv: readInteger(L, config, 'd_conv'),
  };
}

/** The layer on the GPU: x [B, T, d] → [B, T, d]. */
export function mamba2Forward(g: Graph, x: Tensor, w: Mamba2Weights, dims: Mamba2Dims, scanChunk?: number): Tensor {
  const { inner, heads, headdim, state, groups } = dims;
  const convWidth = inner + 2 * groups * state;
  const zxbcdt = linear(g, x, w.inProj);
  const z = sliceLastAxis(g, zxbcdt, 0, inner);
  const xbc = unary(g, 'silu', causalConv1d(g, sliceLastAxis(g, zxbcdt, inner, convWidth), w.convWeight, w.convBias));
  const delta = unary(g, 'softplus', add(g, sliceLastAxis(g, zxbcdt, inner + convWidth, heads), w.dtBias));
  const y = mamba2Scan(g, { xbc, delta, aLog: w.aLog, d: w.d }, { headdim, state, groups }, scanChunk === undefined ? {} : { chunk: scanChunk });
  return linear(g, rmsnorm(g, mul(g, y, unary(g, 'silu', z)), w.norm), w.outProj);
}

/** Creates the layer's parameters in mamba_ssm's Mamba2 order (the layer's build; tests pair it with a scan chunk). */
export function mamba2Weights(ctx: LayerContext, config: LayerConfig): Mamba2Weights {
  const { params, dim, name } = ctx;
  const { inner, heads, state, groups, conv } = mamba2Dims(config, dim);
  const convWidth = inner + 2 * groups * state;
  const convBound = 1 / Math.sqrt(conv); // Conv1d default: fan_in = (in/groups)·kernel = d_conv
  const [aLo, aHi] = A_INIT_RANGE;
  return {
    inProj: params.linearWeight(2 * inner + 2 * groups * state + heads, dim, `${name}.in_proj.weight`),
    convWeight: params.raw([convWidth, conv], `${name}.conv1d.weight`, (rng, n) => uniform(rng, n, convBound)),
    convBias: params.raw([convWidth], `${name}.conv1d.bias`, (rng, n) => uniform(rng, n, convBound)),
    dtBias: params.raw([heads], `${name}.dt_bias`, dtBiasInit(DT_MIN, DT_MAX, DT_INIT_FLOOR)),
    aLog: params.raw([heads], `${name}.A_log`, (rng, n) => Float32Array.from({ length: n }, () => Math.log(aLo + (aHi - aLo) * rng.random()))),
    d: params.ones([heads], `${name}.D`),
    norm: params.ones([inner], `${name}.norm.weight`),
    outProj: params.linearWeight(dim, inner, `${name}.out_proj.weight`),
  };
}

export const mamba2Layer: LayerDefinition = {
  name: 'mamba2',
  shorthand: 'M2',
  kind: 'sequence-mixer',
  description: 'Mamba-2 (SSD): scalar-decay state-space scan per head (8 heads × 32 channels × 8 states), gated RMSNorm.',
  validate(config: LayerConfig) {
    checkKeys(L, config, KEYS);
    const dim = readInteger(L, config, 'dim');
    const n = readInteger(L, config, 'd_state');
    if (n > MAMBA2_MAX_N) throw new ConfigError(L, 'd_state', `'d_state' must be ≤ ${MAMBA2_MAX_N} (the scan keeps the state in registers), got ${n}`);
    readInteger(L, config, 'd_conv');
    const inner = readInteger(L, config, 'expand') * dim;
    const p = readInteger(L, config, 'headdim');
    if (inner % p !== 0) throw new ConfigError(L, 'headdim', `'headdim' (${p}) must divide expand·dim = ${inner}`);
    if (p > MAMBA2_MAX_HEADDIM || nextPow2(p) * (2 * n + 1) > MAMBA2_RED_CAP) {
      throw new ConfigError(L, 'headdim', `'headdim' (${p}) is too large: a head's channels share one backward workgroup (≤ ${MAMBA2_MAX_HEADDIM}, and pow2(headdim)·(2·d_state + 1) ≤ ${MAMBA2_RED_CAP})`);
    }
    const groups = readInteger(L, config, 'ngroups');
    if ((inner / p) % groups !== 0) throw new ConfigError(L, 'ngroups', `'ngroups' (${groups}) must divide the number of heads ${inner / p}`);
  },
  build(ctx, x, config) {
    if (x.rank !== 3) throw new Error(`${L}: expects x [B, T, d], got ${x}`);
    return mamba2Forward(ctx.g, x, mamba2Weights(ctx, config), mamba2Dims(config, ctx.dim));
  },
  stateSize(config, dim) {
    const dims = mamba2Dims(config, dim);
    return dims.heads * dims.headdim * dims.state;
  },
};
