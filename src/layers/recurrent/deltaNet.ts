// The delta-rule layers (docs/protocol.md §4.9), written from flash-linear-attention's DeltaNet and
// GatedDeltaNet with their parameter names: `delta-net` and `gated-delta-net`, H heads of
// dk = head_dim, dv = head_dim·expand_v.
//   q, k, v = SiLU(ShortConv_K(Linear(d→H·dk | H·dv, no bias)(x)))   (depthwise, causal, no bias;
//             without use_short_conv: SiLU(Linear(x)))
//   q, k ← q/‖q‖, k/‖k‖ per head (eps 1e-6 under the root), scale dk^−½ on q
//   β = sigmoid(b_proj(x)) per head
//   gated: log α = −exp(A_log) · softplus(a_proj(x) + dt_bias) per head
//   S_t = α_t S_{t−1}(I − β_t k_t k_tᵀ) + β_t v_t k_tᵀ,  o_t = S_t q_t     (the deltaRule op; α = 1 ungated)
//   delta-net: y = o_proj(RMSNorm(o));  gated-delta-net: y = o_proj(RMSNorm(o) ⊙ SiLU(g_proj(x)))
//   (RMSNorm per head, eps 1e-5, one weight of size dv shared by the heads, init 1)
// Init: Linear weights by the scheme (paper N(0, 0.02); current PyTorch's U(±1/√in)); the short
// convs PyTorch's Conv1d default U(±1/√K); A = U(0, 16], A_log = ln A; dt_bias = softplus⁻¹(dt),
// dt log-uniform in [0.001, 0.1] (floor 1e-4) — the last three raw, under both schemes.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { causalConv1d } from '../../engine/ops/causalConv/causalConv.ts';
import { DELTA_RULE_MAX_STATE, deltaRule } from '../../engine/ops/deltaRule/deltaRule.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { rmsnorm } from '../../engine/ops/rmsnorm/rmsnorm.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { uniform } from '../../engine/init.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import { dtBiasInit } from '../mamba/mamba.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'num_heads', 'head_dim', 'expand_v', 'use_short_conv', 'conv_size'] as const;

/** eps of the per-head output RMSNorm (fla's norm_eps default). */
export const DELTA_NET_NORM_EPS = 1e-5;
/** eps under the root of the q, k L2 normalisation (fla's l2norm). */
export const DELTA_NET_L2_EPS = 1e-6;
/** A = U(0, A_MAX) for A_log (Gated DeltaNet's reference init). */
const A_MAX = 16;

export interface DeltaNetShape {
  heads: number;
  dk: number;
  dv: number;
  /** Short-conv width, or null without use_short_conv. */
  conv: number | null;
}

export interface DeltaNetParams {
  q: Tensor; // [H·dk, d]
  k: Tensor; // [H·dk, d]
  v: Tensor; // [H·dv, d]
  /** Gated only: [H, d], [H], [H]. */
  a: Tensor | null;
  aLog: Tensor | null;
  dtBias: Tensor | null;
  b: Tensor; // [H, d]
  /** [H·dk, K], [H·dk, K], [H·dv, K] with the short conv. */
  qConv: Tensor | null;
  kConv: Tensor | null;
  vConv: Tensor | null;
  /** Gated only: [H·dv, d]. */
  g: Tensor | null;
  norm: Tensor; // [dv]
  o: Tensor; // [d, H·dv]
}

export function deltaNetShape(name: string, config: LayerConfig): DeltaNetShape {
  const heads = readInteger(name, config, 'num_heads');
  const dk = readInteger(name, config, 'head_dim');
  const dv = dk * readNumber(name, config, 'expand_v', { min: 0 });
  if (!Number.isInteger(dv) || dv < 1) throw new ConfigError(name, 'expand_v', `'expand_v' × head_dim must be a positive integer, got ${dv}`);
  if (dk * dv > DELTA_RULE_MAX_STATE) {
    throw new ConfigError(name, 'head_dim', `a head's state head_dim × head_dim·expand_v = ${dk}×${dv} exceeds ${DELTA_RULE_MAX_STATE} (one workgroup holds it)`);
  }
  const conv = readBoolean(name, config, 'use_short_conv') ? readInteger(name, config, 'conv_size') : null;
  return { heads, dk, dv, conv };
}

/** Per-head L2 normalisation x/√(‖x‖² + eps) of x [B, T, H, dk], as an RMSNorm with eps/dk and weight 1/√dk. */
function l2normalize(g: Graph, x: Tensor, dk: number): Tensor {
  const weight = g.input([dk], 'f32', 'l2norm weight', new Float32Array(dk).fill(1 / Math.sqrt(dk)));
  return rmsnorm(g, x, weight, DELTA_NET_L2_EPS / dk);
}

/** x [B, T, d] → [B, T, d]. */
export function deltaNetForward(g: Graph, x: Tensor, p: DeltaNetParams, s: DeltaNetShape): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const { heads, dk, dv } = s;
  const stream = (w: Tensor, conv: Tensor | null): Tensor => unary(g, 'silu', conv ? causalConv1d(g, linear(g, x, w), conv) : linear(g, x, w));
  const q = l2normalize(g, g.view(stream(p.q, p.qConv), [B, T, heads, dk]), dk);
  const k = l2normalize(g, g.view(stream(p.k, p.kConv), [B, T, heads, dk]), dk);
  const v = g.view(stream(p.v, p.vConv), [B, T, heads, dv]);
  const beta = g.view(linear(g, x, p.b, undefined, 'sigmoid'), [B, T, heads]);
  let logAlpha: Tensor | undefined;
  if (p.a && p.aLog && p.dtBias) {
    const negA = unary(g, 'scale', unary(g, 'exp', p.aLog), -1);
    logAlpha = g.view(mul(g, linear(g, x, p.a, p.dtBias, 'softplus'), negA), [B, T, heads]);
  }
  const o = deltaRule(g, { q, k, v, beta, logAlpha }, { scale: 1 / Math.sqrt(dk) });
  const normed = g.view(rmsnorm(g, o, p.norm, DELTA_NET_NORM_EPS), [B, T, heads * dv]);
  return linear(g, p.g ? mul(g, normed, linear(g, x, p.g, undefined, 'silu')) : normed, p.o);
}

function makeDeltaNetLayer(name: string, shorthand: string, gated: boolean, description: string): LayerDefinition {
  return {
    name,
    shorthand,
    kind: 'sequence-mixer',
    description,
    validate(config) {
      checkKeys(name, config, KEYS);
      readInteger(name, config, 'dim');
      readInteger(name, config, 'conv_size'); // read even without use_short_conv, so a bad value is named
      deltaNetShape(name, config);
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const s = deltaNetShape(name, config);
      const { heads, dk, dv, conv } = s;
      const w = (out: number, label: string): Tensor => params.linearWeight(out, dim, `${ctx.name}.${label}`);
      const shortConv = (channels: number, label: string): Tensor | null =>
        conv === null ? null : params.raw([channels, conv], `${ctx.name}.${label}`, (rng, n) => uniform(rng, n, 1 / Math.sqrt(conv)));
      // Creation order follows the fla module's __init__ (one random stream).
      const q = w(heads * dk, 'q_proj.weight');
      const k = w(heads * dk, 'k_proj.weight');
      const v = w(heads * dv, 'v_proj.weight');
      const a = gated ? w(heads, 'a_proj.weight') : null;
      const b = w(heads, 'b_proj.weight');
      const aLog = gated
        ? params.raw([heads], `${ctx.name}.A_log`, (rng, n) => Float32Array.from({ length: n }, () => Math.log(A_MAX * (1 - rng.random()))))
        : null;
      const dtBias = gated ? params.raw([heads], `${ctx.name}.dt_bias`, dtBiasInit(0.001, 0.1, 1e-4)) : null;
      const p: DeltaNetParams = {
        q,
        k,
        v,
        a,
        aLog,
        dtBias,
        b,
        qConv: shortConv(heads * dk, 'q_conv1d.weight'),
        kConv: shortConv(heads * dk, 'k_conv1d.weight'),
        vConv: shortConv(heads * dv, 'v_conv1d.weight'),
        g: gated ? w(heads * dv, 'g_proj.weight') : null,
        norm: params.ones([dv], `${ctx.name}.o_norm.weight`),
        o: params.linearWeight(dim, heads * dv, `${ctx.name}.o_proj.weight`),
      };
      return deltaNetForward(g, x, p, s);
    },
    /** The heads' dv×dk states; the short convs' K−1 past inputs are not counted (as for mamba). */
    stateSize(config) {
      const s = deltaNetShape(name, config);
      return s.heads * s.dk * s.dv;
    },
  };
}

export const deltaNetLayer = makeDeltaNetLayer(
  'delta-net',
  'DN',
  false,
  'DeltaNet, 8 heads of 16×16 state: the delta rule (write β·(v − S k) along k) after short convs, per-head RMSNorm.',
);
export const gatedDeltaNetLayer = makeDeltaNetLayer(
  'gated-delta-net',
  'GDN',
  true,
  'Gated DeltaNet, 8 heads of 16×16 state: the delta rule with a data-dependent decay α, RMSNorm and a SiLU output gate.',
);
