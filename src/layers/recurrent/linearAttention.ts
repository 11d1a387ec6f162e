// mad-lab's linear attention (docs/protocol.md §4.5; LinearAttention with the "Hadamard" feature map):
// `linear-attention` (1 head of 128) and `mh-linear-attention` (16 heads of 8).
//   q, k, v = Linear(d→d, no bias)(x), split into heads
//   φ(z) = (W_a z + b_a) ⊙ (W_b z + b_b) per head (Linear(h→h, bias) ×2), separate maps for q and k
//   y_t = Σ_{s≤t} (φq_t·φk_s) v_s / (φq_t · Σ_{s≤t} φk_s + 1e−12)   (causal; no other safeguard)
//   out = out_proj(concat heads), Linear(d→d, no bias)
// Numerator and denominator are the chunked recurrence with no decay (α = 1): the numerator with
// v, the denominator with v = 1 (a [B, T, H, 1] value), then one normaliser op.

import type { Graph } from '../../engine/graph.ts';
import { mul } from '../../engine/ops/binary/binary.ts';
import { chunkedRecurrence } from '../../engine/ops/chunkedRecurrence/chunkedRecurrence.ts';
import { LINEAR_ATTENTION_EPS, linearAttentionNorm } from '../../engine/ops/linearAttentionNorm/linearAttentionNorm.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'expand_k', 'expand_v', 'num_heads', 'feature_map', 'parallel_implementation', 'tie_feature_map_qk', 'norm_q', 'norm_k'] as const;

export interface HadamardMap {
  wa: Tensor; // [h, h]
  ba: Tensor; // [h]
  wb: Tensor;
  bb: Tensor;
}

export interface LinearAttentionParams {
  mapQ: HadamardMap;
  mapK: HadamardMap;
  q: Tensor; // [dkTotal, d]
  k: Tensor;
  v: Tensor; // [dvTotal, d]
  out: Tensor; // [d, dvTotal]
}

function hadamard(g: Graph, z: Tensor, m: HadamardMap): Tensor {
  return mul(g, linear(g, z, m.wa, m.ba), linear(g, z, m.wb, m.bb));
}

/** x [B, T, d] → [B, T, d]. */
export function linearAttentionForward(g: Graph, x: Tensor, p: LinearAttentionParams, heads: number, eps = LINEAR_ATTENTION_EPS): Tensor {
  const [B, T] = x.shape as [number, number, number];
  const dk = p.q.shape[0]! / heads;
  const dvTotal = p.v.shape[0]!;
  const dv = dvTotal / heads;
  const fq = hadamard(g, g.view(linear(g, x, p.q), [B, T, heads, dk]), p.mapQ);
  const fk = hadamard(g, g.view(linear(g, x, p.k), [B, T, heads, dk]), p.mapK);
  const v = g.view(linear(g, x, p.v), [B, T, heads, dv]);
  const num = chunkedRecurrence(g, { mode: 'gla', q: fq, k: fk, v });
  const ones = g.input([B, T, heads, 1], 'f32', 'ones', new Float32Array(B * T * heads).fill(1));
  const den = chunkedRecurrence(g, { mode: 'gla', q: fq, k: fk, v: ones });
  return linear(g, g.view(linearAttentionNorm(g, num, den, eps), [B, T, dvTotal]), p.out);
}

interface Shape {
  heads: number;
  dkTotal: number;
  dvTotal: number;
}

function readShape(name: string, config: LayerConfig, dim: number): Shape {
  const heads = readInteger(name, config, 'num_heads');
  const dkTotal = dim * readNumber(name, config, 'expand_k', { min: 0 });
  const dvTotal = dim * readNumber(name, config, 'expand_v', { min: 0 });
  if (!Number.isInteger(dkTotal) || dkTotal < 1) throw new ConfigError(name, 'expand_k', `'expand_k' × dim must be a positive integer, got ${dkTotal}`);
  if (!Number.isInteger(dvTotal) || dvTotal < 1) throw new ConfigError(name, 'expand_v', `'expand_v' × dim must be a positive integer, got ${dvTotal}`);
  if (dkTotal % heads !== 0 || dvTotal % heads !== 0) throw new ConfigError(name, 'num_heads', `'num_heads' ${heads} must divide the key and value widths ${dkTotal}, ${dvTotal}`);
  if (dkTotal / heads > 128) throw new ConfigError(name, 'num_heads', `key head dim ${dkTotal / heads} exceeds 128 (raise 'num_heads')`);
  return { heads, dkTotal, dvTotal };
}

function makeLinearAttentionLayer(name: string, shorthand: string, description: string): LayerDefinition {
  return {
    name,
    shorthand,
    kind: 'sequence-mixer',
    description,
    validate(config) {
      checkKeys(name, config, KEYS);
      readShape(name, config, readInteger(name, config, 'dim'));
      if (config.feature_map !== 'elementwise_product') {
        throw new ConfigError(name, 'feature_map', `'feature_map' must be 'elementwise_product' (the Hadamard map mad-lab uses), got ${JSON.stringify(config.feature_map)}`);
      }
      if (!['quadratic', 'linear'].includes(config.parallel_implementation as string)) {
        throw new ConfigError(name, 'parallel_implementation', `'parallel_implementation' must be 'quadratic' or 'linear' (same math; we always run the chunked kernel), got ${JSON.stringify(config.parallel_implementation)}`);
      }
      readBoolean(name, config, 'tie_feature_map_qk');
      for (const key of ['norm_q', 'norm_k']) {
        if (readBoolean(name, config, key)) throw new ConfigError(name, key, `'${key}' true is not supported (mad-lab's configs use false)`);
      }
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const s = readShape(name, config, dim);
      const h = s.dkTotal / s.heads;
      const map = (label: string): HadamardMap => ({
        wa: params.linearWeight(h, h, `${ctx.name}.${label}.layer1.weight`),
        ba: params.linearBias(h, `${ctx.name}.${label}.layer1.bias`),
        wb: params.linearWeight(h, h, `${ctx.name}.${label}.layer2.weight`),
        bb: params.linearBias(h, `${ctx.name}.${label}.layer2.bias`),
      });
      const mapQ = map('feature_map_q');
      const mapK = readBoolean(name, config, 'tie_feature_map_qk') ? mapQ : map('feature_map_k');
      const p: LinearAttentionParams = {
        mapQ,
        mapK,
        q: params.linearWeight(s.dkTotal, dim, `${ctx.name}.proj_q.weight`),
        k: params.linearWeight(s.dkTotal, dim, `${ctx.name}.proj_k.weight`),
        v: params.linearWeight(s.dvTotal, dim, `${ctx.name}.proj_v.weight`),
        out: params.linearWeight(dim, s.dvTotal, `${ctx.name}.out_proj.weight`),
      };
      return linearAttentionForward(g, x, p, s.heads);
    },
    stateSize(config, dim) {
      const s = readShape(name, config, dim);
      // The key-value state as docs/protocol.md §4.8 counts it (the normaliser's running Σφk adds dk per head).
      return (s.dkTotal / s.heads) * (s.dvTotal / s.heads) * s.heads;
    },
  };
}

export const linearAttentionLayer = makeLinearAttentionLayer(
  'linear-attention',
  'Al',
  'Linear attention with learned Hadamard feature maps, one 128×128 state, normalised by φq·Σφk.',
);
export const mhLinearAttentionLayer = makeLinearAttentionLayer(
  'mh-linear-attention',
  'mAl',
  'Linear attention with learned Hadamard feature maps, 16 heads of 8×8 state, normalised by φq·Σφk.',
);
