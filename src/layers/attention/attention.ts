// mad-lab's Attention (flash-attn MHA; docs/protocol.md §4.2), one builder for its four configs: attention
// (1 head of 128), mh-attention (16 heads of 8), sliding-attention and mh-sliding-attention
// (window_size (32, 32) with causal: query t sees keys t−32…t).
//   qkv = Linear(d → 3d, bias)(x), laid out [3][heads][head_dim];
//   q, k ← GPT-NeoX rotary (base 10000, rotary dim = head dim, positions 0…T−1);
//   o = causal softmax(q kᵀ/√head_dim) v per head, heads concatenated;  y = out_proj(o) (bias).
// Rotary, the score softmax and the head split/concat are one fused kernel
// (src/engine/ops/attention): qkv → o [B, T, d] is a single dispatch, backward two.

import type { Graph } from '../../engine/graph.ts';
import { flashAttention } from '../../engine/ops/attention/flashAttention.ts';
import { linear } from '../../engine/ops/matmul/matmul.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { checkKeys, ConfigError, readBoolean, readInteger, readNumber } from '../configValues.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';

const KEYS = ['dim', 'causal', 'n_heads', 'rotary_emb_dim', 'dropout', 'window_size', 'use_flash_attn'] as const;

/** Rotary frequency base (flash-attn's default; mad-lab does not set it). */
export const ROTARY_BASE = 10000;

export interface AttentionWeights {
  /** [3·d, d] */
  wqkv: Tensor;
  /** [3·d] */
  bqkv: Tensor;
  /** [d, d] */
  wout: Tensor;
  /** [d] */
  bout: Tensor;
}

export interface AttentionSettings {
  heads: number;
  /** Query t sees keys t − window … t; null: every earlier key. */
  window: number | null;
}

/** x [B, T, d] → [B, T, d]: the layer's math given its weights (what build() records). */
export function attentionForward(g: Graph, x: Tensor, w: AttentionWeights, { heads, window }: AttentionSettings): Tensor {
  const dim = x.lastDim;
  const qkv = linear(g, x, w.wqkv, w.bqkv);
  const o = flashAttention(g, qkv, { heads, headDim: dim / heads, window, rotaryBase: ROTARY_BASE });
  return linear(g, o, w.wout, w.bout);
}

/** The left window of window_size, or null for (−1, −1). Throws naming the key. */
function readWindow(layer: string, config: LayerConfig): number | null {
  const v = config.window_size;
  const bad = (): ConfigError => new ConfigError(layer, 'window_size', `'window_size' must be [-1, -1] or [left ≥ 0, right ≥ -1] (integers), got ${JSON.stringify(v)}`);
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= -1)) throw bad();
  const [left, right] = v as [number, number];
  if (left === -1) {
    if (right !== -1) throw bad();
    return null;
  }
  // The right window is irrelevant under causal masking (flash-attn sets it to 0).
  return left;
}

interface Settings extends AttentionSettings {
  configDim: number;
}

function readSettings(layer: string, config: LayerConfig): Settings {
  checkKeys(layer, config, KEYS);
  const configDim = readInteger(layer, config, 'dim');
  const heads = readInteger(layer, config, 'n_heads');
  if (configDim % heads !== 0) throw new ConfigError(layer, 'n_heads', `'n_heads' (${heads}) must divide 'dim' (${configDim})`);
  const headDim = configDim / heads;
  if (headDim % 2 !== 0) throw new ConfigError(layer, 'n_heads', `'n_heads' ${heads} gives an odd head dim ${headDim} (rotary needs an even one)`);
  if (!readBoolean(layer, config, 'causal')) throw new ConfigError(layer, 'causal', `'causal' must be true (MAD's attention is causal)`);
  if (readInteger(layer, config, 'rotary_emb_dim') !== headDim) {
    throw new ConfigError(layer, 'rotary_emb_dim', `'rotary_emb_dim' must equal the head dim dim/n_heads = ${headDim} (as in every MAD config), got ${JSON.stringify(config.rotary_emb_dim)}`);
  }
  if (readNumber(layer, config, 'dropout', { min: 0, max: 1 }) !== 0) throw new ConfigError(layer, 'dropout', `'dropout' must be 0 (MAD trains without dropout)`);
  readBoolean(layer, config, 'use_flash_attn'); // either value: the same math, our kernel is always the fused one
  return { configDim, heads, window: readWindow(layer, config) };
}

function makeAttentionLayer(name: string, shorthand: string, description: string): LayerDefinition {
  return {
    name,
    shorthand,
    kind: 'sequence-mixer',
    description,
    validate(config) {
      readSettings(name, config);
    },
    build(ctx, x, config) {
      const { g, params, dim } = ctx;
      const { heads, window } = readSettings(name, config);
      if (dim % heads !== 0 || (dim / heads) % 2 !== 0) throw new Error(`${name}: model width ${dim} does not split into ${heads} heads of even size`);
      const p = ctx.name;
      // flash-attn MHA: Wqkv and out_proj are nn.Linear with PyTorch's default init.
      const weights: AttentionWeights = {
        wqkv: params.linearWeight(3 * dim, dim, `${p}.Wqkv.weight`),
        bqkv: params.linearBias(3 * dim, `${p}.Wqkv.bias`),
        wout: params.linearWeight(dim, dim, `${p}.out_proj.weight`),
        bout: params.linearBias(dim, `${p}.out_proj.bias`),
      };
      return attentionForward(g, x, weights, { heads, window });
    },
    stateSize: () => null, // the KV cache grows with length
  };
}

export const attentionLayer = makeAttentionLayer('attention', 'A', 'Causal softmax attention, 1 head of 128 with rotary positions: exact recall over the whole context.');
export const mhAttentionLayer = makeAttentionLayer('mh-attention', 'mA', 'Causal softmax attention, 16 heads of 8 with rotary positions.');
export const slidingAttentionLayer = makeAttentionLayer(
  'sliding-attention',
  'As',
  'Causal softmax attention, 1 head of 128, each token sees only the previous 32 tokens.',
);
export const mhSlidingAttentionLayer = makeAttentionLayer(
  'mh-sliding-attention',
  'mAs',
  'Causal softmax attention, 16 heads of 8, each token sees only the previous 32 tokens.',
);

export const ATTENTION_LAYERS: readonly LayerDefinition[] = [attentionLayer, mhAttentionLayer, slidingAttentionLayer, mhSlidingAttentionLayer];
