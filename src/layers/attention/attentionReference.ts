// f64 reference of the whole attention layer (docs/protocol.md §4.2) on the tape: y = out_proj(attention of
// Wqkv x + b with rotary q and k, causal, optionally windowed), the attention being the op's naive
// reference (explicit scores and softmax), so the layer test also checks the fused kernel.

import { linear } from '../reference/linear.ts';
import { attention } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import { ROTARY_BASE } from './attention.ts';

export interface AttentionReferenceShape {
  T: number;
  dim: number;
  heads: number;
  /** Query t sees keys t − window … t; null: every earlier key. */
  window: number | null;
}

export function attentionReference(t: Tape, p: ParamVars, x: Var, s: AttentionReferenceShape): Var {
  const { T, dim, heads } = s;
  const qkv = linear(t, x, p['Wqkv.weight']!, dim, 3 * dim, p['Wqkv.bias']!);
  const shape = { batch: x.value.length / (T * dim), time: T, heads, headDim: dim / heads, window: s.window, base: ROTARY_BASE };
  return linear(t, attention(t, shape, qkv), p['out_proj.weight']!, dim, dim, p['out_proj.bias']!);
}
