// mad-lab's gated linear attention (docs/protocol.md §4.6; flash-linear-attention's GatedLinearAttention):
// `gated-linear-attention` (1 head of 128) and `mh-gated-linear-attention` (8 heads of 16).
//   q, k, v, g = Linear(d→d, no bias)(x)        (key/value widths d·expand_k, d·expand_v)
//   gk = Linear(r→dk_total, bias)(Linear(d→r, no bias)(x)),  r = gate_low_rank_dim
//   log α = logsigmoid(gk) / gate_logit_normalizer = −softplus(−gk) / 16     (per key channel)
//   per head: S_t = diag(α_t) S_{t−1} + k_t v_tᵀ,  o_t = (q_t/√dk)ᵀ S_t      (chunked kernel)
//   o ← RMSNorm(o) over each head's value vector (eps layernorm_eps, one weight of size dv shared
//   by the heads, init 1);  y = o_proj(o ⊙ SiLU(g))
// 'current' init: Xavier-uniform with gain 2^−2.5 for q, k, v, g, o and both gate linears.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { chunkedRecurrence } from '../../engine/ops/chunkedRecurrence/chunkedRecurrence.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import { rmsnorm } from '../../engine/ops/rmsnorm/rmsnorm.ts';
import { unary } from '../../engine/ops/unary/unary.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { uniform } from '../../engine/init.ts';
import type { InitFn } from '../../engine/params.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = [
  'dim',
  'expand_v',
  'expand_k',
  'num_heads',
  'gate_fn',
  'layernorm_eps',
  'gate_logit_normalizer',
  'gate_low_rank_dim',
  'mode',
  'fuse_norm',
] as const;

/** PyTorch's xavier_uniform_ with gain: U(±gain·√(6 / (fan_in + fan_out))). */
export function xavierUniform(fanIn: number, fanOut: number, gain: number): InitFn {
  return (rng, size) => uniform(rng, size, gain * Math.sqrt(6 / (fanIn + fanOut)));
}

export const GLA_INIT_GAIN = 2 ** -2.5;

export interface GlaParams {
  q: Tensor; // [dkTotal, d]
  k: Tensor; // [dkTotal, d]
  v: Tensor; // [dvTotal, d]
  g: Tensor; // [dvTotal, d]
  gk1: Tensor; // [r, d]
  gk2: Tensor; // [dkTotal, r]
  gk2Bias: Tensor; // [dkTotal]
  norm: Tensor; // [dv] (per head)
  o: Tensor; // [d, dvTotal]
}

export interface GlaOptions {
  heads: number;
  eps: number;
  gateNormalizer: number;
}

/** x [B, T, d] → [B, T, d]. */
export function glaForward(g: Graph, x: Tensor, p: GlaParams, { heads, eps, gateNormalizer }: GlaOptions): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const dkTotal = p.q.shape[0]!;
  const dvTotal = p.v.shape[0]!;
  const dk = dkTotal / heads;
  const dv = dvTotal / heads;
  const q = linear(g, x, p.q);
  const k = linear(g, x, p.k);
  const v = linear(g, x, p.v);
  const gate = linear(g, x, p.g, undefined, 'silu');
  const gk = linear(g, linear(g, x, p.gk1), p.gk2, p.gk2Bias);
  // logsigmoid(z) = −softplus(−z); softplus switches to its linear branch above 20.
  const logDecay = unary(g, 'scale', unary(g, 'softplus', unary(g, 'scale', gk, -1)), -1 / gateNormalizer);
  const o = chunkedRecurrence(g, {
    mode: 'gla',
    q: g.view(q, [B, T, heads, dk]),
    k: g.view(k, [B, T, heads, dk]),
    v: g.view(v, [B, T, heads, dv]),
    logDecay: g.view(logDecay, [B, T, heads, dk]),
    scale: 1 / Math.sqrt(dk),
  });
  const normed = g.view(rmsnorm(g, o, p.norm, eps), [B, T, dvTotal]);
  return linear(g, mul(g, normed, gate), p.o);
}

interface GlaShape {
  heads: number;
  dkTotal: number;
  dvTotal: number;
  rank: number;
}

function readShape(name: string, config: LayerConfig, dim: number): GlaShape {
  const heads = readInteger(name, config, 'num_heads');
  const ek = readNumber(name, config, 'expand_k', { min: 0 });
  const ev = readNumber(name, config, 'expand_v', { min: 0 });
  const dkTotal = dim * ek;
  const dvTotal = dim * ev;
  if (!Number.isInteger(dkTotal) || dkTotal < 1) throw new ConfigError(name, 'expand_k', `'expand_k' × dim must be a positive integer, got ${dkTotal}`);
  if (!Number.isInteger(dvTotal) || dvTotal < 1) throw new ConfigError(name, 'expand_v', `'expand_v' × dim must be a positive integer, got ${dvTotal}`);
  if (dkTotal % heads !== 0 || dvTotal % heads !== 0) {
    throw new ConfigError(name, 'num_heads', `'num_heads' ${heads} must divide the key and value widths ${dkTotal}, ${dvTotal}`);
  }
  if (dkTotal / heads > 128) throw new ConfigError(name, 'num_heads', `key head dim ${dkTotal / heads} exceeds 128 (raise 'num_heads')`);
  return { heads, dkTotal, dvTotal, rank: readInteger(name, config, 'gate_low_rank_dim') };
}

function makeGatedLinearAttentionLayer(name: string, shorthand: string, description: string): LayerDefinition {
  return {
    name,
    shorthand,
    kind: 'sequence-mixer',
    description,
    validate(config) {
      checkKeys(name, config, KEYS);
      const dim = readInteger(name, config, 'dim');
      readShape(name, config, dim);
      if (config.gate_fn !== 'swish') throw new ConfigError(name, 'gate_fn', `'gate_fn' must be 'swish' (the only one mad-lab uses), got ${JSON.stringify(config.gate_fn)}`);
      readNumber(name, config, 'layernorm_eps', { min: Number.MIN_VALUE });
      readNumber(name, config, 'gate_logit_normalizer', { min: Number.MIN_VALUE });
      if (!['chunk', 'fused_chunk', 'fused_recurrent'].includes(config.mode as string)) {
        throw new ConfigError(name, 'mode', `'mode' must be 'chunk', 'fused_chunk' or 'fused_recurrent' (all compute the same recurrence), got ${JSON.stringify(config.mode)}`);
      }
      readBoolean(name, config, 'fuse_norm'); // a kernel-fusion switch in fla: the math is the same
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const s = readShape(name, config, dim);
      const w = (out: number, inDim: number, label: string): Tensor =>
        params.linearWeight(out, inDim, `${ctx.name}.${label}`, xavierUniform(inDim, out, GLA_INIT_GAIN));
      const p: GlaParams = {
        q: w(s.dkTotal, dim, 'q_proj.weight'),
        k: w(s.dkTotal, dim, 'k_proj.weight'),
        v: w(s.dvTotal, dim, 'v_proj.weight'),
        g: w(s.dvTotal, dim, 'g_proj.weight'),
        gk1: w(s.rank, dim, 'gk_proj.0.weight'),
        gk2: w(s.dkTotal, s.rank, 'gk_proj.1.weight'),
        gk2Bias: params.linearBias(s.dkTotal, `${ctx.name}.gk_proj.1.bias`),
        // (parameters in the module's order: q, k, v, g, gk_proj, o_proj, g_norm)
        o: w(dim, s.dvTotal, 'o_proj.weight'),
        norm: params.ones([s.dvTotal / s.heads], `${ctx.name}.g_norm.weight`),
      };
      return glaForward(g, x, p, {
        heads: s.heads,
        eps: readNumber(name, config, 'layernorm_eps'),
        gateNormalizer: readNumber(name, config, 'gate_logit_normalizer'),
      });
    },
    stateSize(config, dim) {
      const s = readShape(name, config, dim);
      return (s.dkTotal / s.heads) * (s.dvTotal / s.heads) * s.heads;
    },
  };
}

export const gatedLinearAttentionLayer = makeGatedLinearAttentionLayer(
  'gated-linear-attention',
  'Alg',
  'Gated linear attention, one 128×128 state: data-dependent per-channel forgetting, RMSNorm and a SiLU output gate.',
);
export const mhGatedLinearAttentionLayer = makeGatedLinearAttentionLayer(
  'mh-gated-linear-attention',
  'mAlg',
  'Gated linear attention, 8 heads of 16×16 state: data-dependent per-channel forgetting, RMSNorm and a SiLU output gate.',
);
