// mad-lab's `mamba` layer (docs/protocol.md §4.4), one layer mixing time and channels (D_in = expand·d):
//   [x | z] = in_proj(h)                          Linear(d → 2·D_in), bias per `bias`
//   x ← SiLU(causalConv1d(x))                      depthwise, kernel d_conv, bias per `conv_bias`
//   [δ | B | C] = x_proj(x)                        Linear(D_in → dt_rank + 2N), no bias
//   Δ = softplus(dt_proj(δ))                       Linear(dt_rank → D_in) with bias (fused epilogue)
//   y = selective scan(x, Δ, B, C, A = −exp(A_log), D)
//   out = out_proj(y ⊙ SiLU(z))                    Linear(D_in → d), bias per `bias`
// Init ('current' scheme, as mamba_simple): W_dt ~ U(±dt_rank^−½·dt_scale) (or that constant for
// dt_init 'constant'); b_dt = softplus⁻¹(dt), dt = exp(U(ln dt_min, ln dt_max)) ≥ dt_init_floor,
// flagged no-re-init; A_log[c,n] = ln(n+1), D = 1, conv weight/bias PyTorch's Conv1d default
// U(±1/√d_conv) — all three raw. 107,264 parameters at d = 128; state 256×4 = 1,024.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { causalConv1d } from '../../engine/ops/causalConv/causalConv.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { SCAN_MAX_N, selectiveScan } from '../../engine/ops/selectiveScan/selectiveScan.ts';
import { sliceLastAxis } from '../../engine/ops/slice/slice.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { constant, uniform } from '../../engine/init.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerContext, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'd_state', 'd_conv', 'expand', 'dt_rank', 'dt_min', 'dt_max', 'dt_init', 'dt_scale', 'dt_init_floor', 'conv_bias', 'bias'] as const;
const L = 'mamba';

export interface MambaDims {
  dim: number;
  /** D_in = expand · dim */
  inner: number;
  /** N */
  state: number;
  /** kernel of the causal conv */
  conv: number;
  dtRank: number;
}

export interface MambaWeights {
  inProj: Tensor; // [2·D_in, d]
  inProjBias: Tensor | null; // [2·D_in]
  convWeight: Tensor; // [D_in, K]
  convBias: Tensor | null; // [D_in]
  xProj: Tensor; // [dt_rank + 2N, D_in]
  dtProj: Tensor; // [D_in, dt_rank]
  dtBias: Tensor; // [D_in]
  aLog: Tensor; // [D_in, N]
  d: Tensor; // [D_in]
  outProj: Tensor; // [d, D_in]
  outProjBias: Tensor | null; // [d]
}

export function mambaDims(config: LayerConfig, dim: number): MambaDims {
  const rank = config.dt_rank;
  return {
    dim,
    inner: readInteger(L, config, 'expand') * dim,
    state: readInteger(L, config, 'd_state'),
    conv: readInteger(L, config, 'd_conv'),
    dtRank: rank === 'auto' ? Math.ceil(dim / 16) : readInteger(L, config, 'dt_rank'),
  };
}

/** The layer on the GPU: x [B, T, d] → [B, T, d]. */
export function mambaForward(g: Graph, x: Tensor, w: MambaWeights, dims: MambaDims, scanChunk?: number): Tensor {
  const { inner, state, dtRank } = dims;
  const xz = linear(g, x, w.inProj, w.inProjBias ?? undefined);
  const xs = sliceLastAxis(g, xz, 0, inner);
  const z = sliceLastAxis(g, xz, inner, inner);
  const xc = unary(g, 'silu', causalConv1d(g, xs, w.convWeight, w.convBias));
  const dbc = linear(g, xc, w.xProj);
  const delta = linear(g, sliceLastAxis(g, dbc, 0, dtRank), w.dtProj, w.dtBias, 'softplus');
  const y = selectiveScan(
    g,
    { x: xc, delta, bc: dbc, bOffset: dtRank, cOffset: dtRank + state, aLog: w.aLog, d: w.d },
    scanChunk === undefined ? {} : { chunk: scanChunk },
  );
  return linear(g, mul(g, y, unary(g, 'silu', z)), w.outProj, w.outProjBias ?? undefined);
}

/** b_dt = softplus⁻¹(dt) with dt = exp(U(ln dt_min, ln dt_max)) clamped to ≥ floor (mamba_simple). */
export function dtBiasInit(dtMin: number, dtMax: number, floor: number) {
  return (rng: { random(): number }, n: number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const dt = Math.max(Math.exp(rng.random() * (Math.log(dtMax) - Math.log(dtMin)) + Math.log(dtMin)), floor);
      out[i] = dt + Math.log(-Math.expm1(-dt)); // softplus⁻¹
    }
    return out;
  };
}

/** Creates the layer's parameters in mamba_simple's order (the layer's build; tests pair it with a scan chunk). */
export function mambaWeights(ctx: LayerContext, config: LayerConfig): MambaWeights {
  const { params, dim, name } = ctx;
  const { inner, state, conv, dtRank } = mambaDims(config, dim);
  const bias = readBoolean(L, config, 'bias');
  const dtStd = dtRank ** -0.5 * readNumber(L, config, 'dt_scale', { min: 0 });
  const convBound = 1 / Math.sqrt(conv); // Conv1d default: fan_in = (in/groups)·kernel = d_conv
  // Creation order follows mamba_simple.Mamba.__init__ (one random stream).
  return {
    inProj: params.linearWeight(2 * inner, dim, `${name}.in_proj.weight`),
    inProjBias: bias ? params.linearBias(2 * inner, `${name}.in_proj.bias`) : null,
    convWeight: params.raw([inner, conv], `${name}.conv1d.weight`, (rng, n) => uniform(rng, n, convBound)),
    convBias: readBoolean(L, config, 'conv_bias') ? params.raw([inner], `${name}.conv1d.bias`, (rng, n) => uniform(rng, n, convBound)) : null,
    xProj: params.linearWeight(dtRank + 2 * state, inner, `${name}.x_proj.weight`),
    dtProj: params.linearWeight(inner, dtRank, `${name}.dt_proj.weight`, (rng, n) =>
      config.dt_init === 'constant' ? constant(n, dtStd) : uniform(rng, n, dtStd),
    ),
    dtBias: params.linearBias(
      inner,
      `${name}.dt_proj.bias`,
      dtBiasInit(readNumber(L, config, 'dt_min'), readNumber(L, config, 'dt_max'), readNumber(L, config, 'dt_init_floor')),
    ),
    aLog: params.raw([inner, state], `${name}.A_log`, (_rng, n) => Float32Array.from({ length: n }, (_, i) => Math.log((i % state) + 1))),
    d: params.ones([inner], `${name}.D`),
    outProj: params.linearWeight(dim, inner, `${name}.out_proj.weight`),
    outProjBias: bias ? params.linearBias(dim, `${name}.out_proj.bias`) : null,
  };
}

export const mambaLayer: LayerDefinition = {
  name: 'mamba',
  shorthand: 'Mb',
  kind: 'sequence-mixer',
  description: 'Mamba: gated selective state-space scan (256 channels × 4 states) after a short causal conv.',
  validate(config: LayerConfig) {
    checkKeys(L, config, KEYS);
    readInteger(L, config, 'dim');
    const n = readInteger(L, config, 'd_state');
    if (n > SCAN_MAX_N) throw new ConfigError(L, 'd_state', `'d_state' must be ≤ ${SCAN_MAX_N} (the scan keeps the state in registers), got ${n}`);
    readInteger(L, config, 'd_conv');
    readInteger(L, config, 'expand');
    if (config.dt_rank !== 'auto') readInteger(L, config, 'dt_rank');
    const lo = readNumber(L, config, 'dt_min', { min: Number.MIN_VALUE });
    const hi = readNumber(L, config, 'dt_max', { min: Number.MIN_VALUE });
    if (lo > hi) throw new ConfigError(L, 'dt_min', `'dt_min' (${lo}) must not exceed 'dt_max' (${hi})`);
    if (config.dt_init !== 'random' && config.dt_init !== 'constant') {
      throw new ConfigError(L, 'dt_init', `'dt_init' must be 'random' or 'constant', got ${JSON.stringify(config.dt_init)}`);
    }
    readNumber(L, config, 'dt_scale', { min: 0 });
    readNumber(L, config, 'dt_init_floor', { min: Number.MIN_VALUE });
    readBoolean(L, config, 'conv_bias');
    readBoolean(L, config, 'bias');
  },
  build(ctx, x, config) {
    const w = mambaWeights(ctx, config);
    if (x.rank !== 3) throw new Error(`${L}: expects x [B, T, d], got ${x}`);
    return mambaForward(ctx.g, x, w, mambaDims(config, ctx.dim));
  },
  stateSize(config, dim) {
    const dims = mambaDims(config, dim);
    return dims.inner * dims.state;
  },
};
