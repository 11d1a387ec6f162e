// CPU f64 reference of mad-lab's linear attention layer (spec §4.5) on the reverse-mode tape.
// Numerator and denominator come from the sequential recurrence reference (α = 1); the layer
// test checks that this equals mad-lab's quadratic form tril(φQ φKᵀ) V / (φq · cumsum φk + eps).

import type { Tape, V } from './tape.ts';

export interface LinearAttentionRefShape {
  B: number;
  T: number;
  d: number;
  heads: number;
}

export const LINEAR_ATTENTION_PARAM_NAMES = ['qa', 'qab', 'qb', 'qbb', 'ka', 'kab', 'kb', 'kbb', 'q', 'k', 'v', 'out'] as const;

export function linearAttentionParamShapes(s: LinearAttentionRefShape): Record<string, number[]> {
  const h = s.d / s.heads;
  return { qa: [h, h], qab: [h], qb: [h, h], qbb: [h], ka: [h, h], kab: [h], kb: [h, h], kbb: [h], q: [s.d, s.d], k: [s.d, s.d], v: [s.d, s.d], out: [s.d, s.d] };
}

export function linearAttentionReference(t: Tape, x: V, p: Record<string, V>, s: LinearAttentionRefShape, eps = 1e-12): V {
  const { B, T, d, heads } = s;
  const h = d / heads;
  const q = t.linear(x, p.q!, d, d);
  const k = t.linear(x, p.k!, d, d);
  const v = t.linear(x, p.v!, d, d);
  const fq = t.mul(t.linear(q, p.qa!, h, h, p.qab!), t.linear(q, p.qb!, h, h, p.qbb!));
  const fk = t.mul(t.linear(k, p.ka!, h, h, p.kab!), t.linear(k, p.kb!, h, h, p.kbb!));
  const num = t.recurrence('gla', { B, T, H: heads, dk: h, dv: h }, fq, fk, v, null, null);
  const ones = t.leaf(new Float64Array(B * T * heads).fill(1));
  const den = t.recurrence('gla', { B, T, H: heads, dk: h, dv: 1 }, fq, fk, ones, null, null);
  return t.linear(t.normalize(num, den, h, eps), p.out!, d, d);
}
