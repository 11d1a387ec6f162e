// CPU f64 references of the RWKV5/6 time mixers on the reverse-mode tape (tape.ts), written
// straight from the mad-lab module (GroupNorm on y / divisor for RWKV5, so the GPU layer's
// eps·divisor² rewrite is checked too).

import { RWKV6_DECAY_RANK, RWKV6_MIX_RANK } from './rwkvTimeMixer.ts';
import { type Tape, type V } from './tape.ts';

export interface RwkvRefShape {
  B: number;
  T: number;
  d: number;
  heads: number;
  headDim: number;
  divisor: number;
}

export const RWKV5_PARAM_NAMES = ['mixK', 'mixV', 'mixR', 'mixG', 'decay', 'bonus', 'receptance', 'key', 'value', 'output', 'gate', 'lnW', 'lnB'] as const;
export const RWKV6_PARAM_NAMES = [
  'maaX', 'maaW', 'maaK', 'maaV', 'maaR', 'maaG', 'maaW1', 'maaW2', 'decay', 'decayW1', 'decayW2', 'bonus',
  'receptance', 'key', 'value', 'output', 'gate', 'lnW', 'lnB',
] as const;

export function rwkvParamShapes(version: 5 | 6, s: RwkvRefShape): Record<string, number[]> {
  const A = s.heads * s.headDim;
  const d = s.d;
  const common = {
    bonus: [s.heads, s.headDim],
    receptance: [A, d],
    key: [A, d],
    value: [A, d],
    output: [d, A],
    gate: [A, d],
    lnW: [A],
    lnB: [A],
  };
  if (version === 5) return { mixK: [1, 1, d], mixV: [1, 1, d], mixR: [1, 1, d], mixG: [1, 1, d], decay: [s.heads, s.headDim], ...common };
  return {
    maaX: [1, 1, d], maaW: [1, 1, d], maaK: [1, 1, d], maaV: [1, 1, d], maaR: [1, 1, d], maaG: [1, 1, d],
    maaW1: [d, 5 * RWKV6_MIX_RANK], maaW2: [5, RWKV6_MIX_RANK, d], decay: [1, 1, A],
    decayW1: [d, RWKV6_DECAY_RANK], decayW2: [RWKV6_DECAY_RANK, A], ...common,
  };
}

function tail(t: Tape, s: RwkvRefShape, version: 5 | 6, r: V, k: V, v: V, lw: V, gate: V, p: Record<string, V>): V {
  const A = s.heads * s.headDim;
  const dims = { B: s.B, T: s.T, H: s.heads, dk: s.headDim, dv: s.headDim };
  let y = t.recurrence('rwkv', dims, r, k, v, lw, p.bonus!);
  let eps = 1e-5;
  if (version === 5) y = t.scale(y, 1 / s.divisor);
  else eps = 1e-5 * s.divisor ** 2;
  const normed = t.groupNorm(y, p.lnW!, p.lnB!, A, s.heads, eps);
  return t.linear(t.mul(normed, gate), p.output!, A, s.d);
}

/** x [B, T, d] → [B, T, d]. */
export function rwkvTimeReference(t: Tape, version: 5 | 6, x: V, p: Record<string, V>, s: RwkvRefShape): V {
  const { T, d } = s;
  const A = s.heads * s.headDim;
  const shifted = t.tokenShift(x, T, d);
  if (version === 5) {
    const one = t.leaf(new Float64Array([1]));
    const mix = (mu: V): V => t.add(t.mul(x, mu), t.mul(shifted, t.add(t.scale(mu, -1), one)));
    const r = t.linear(mix(p.mixR!), p.receptance!, d, A);
    const k = t.linear(mix(p.mixK!), p.key!, d, A);
    const v = t.linear(mix(p.mixV!), p.value!, d, A);
    const gate = t.silu(t.linear(mix(p.mixG!), p.gate!, d, A));
    const lwStatic = t.scale(t.exp(p.decay!), -1);
    const lw = t.add(t.leaf(new Float64Array(s.B * T * A)), lwStatic);
    return tail(t, s, 5, r, k, v, lw, gate, p);
  }
  const dx = t.sub(shifted, x);
  const xxx = t.add(x, t.mul(dx, p.maaX!));
  const m = t.tanh(t.matmul(xxx, p.maaW1!, d, 5 * RWKV6_MIX_RANK));
  const branch = (j: number, maa: V): V => {
    const w2j = t.slice(p.maaW2!, 5 * RWKV6_MIX_RANK * d, j * RWKV6_MIX_RANK * d, RWKV6_MIX_RANK * d);
    const mj = t.matmul(t.slice(m, 5 * RWKV6_MIX_RANK, j * RWKV6_MIX_RANK, RWKV6_MIX_RANK), w2j, RWKV6_MIX_RANK, d);
    return t.add(x, t.mul(dx, t.add(mj, maa)));
  };
  const xw = branch(0, p.maaW!);
  const xk = branch(1, p.maaK!);
  const xv = branch(2, p.maaV!);
  const xr = branch(3, p.maaR!);
  const xg = branch(4, p.maaG!);
  const r = t.linear(xr, p.receptance!, d, A);
  const k = t.linear(xk, p.key!, d, A);
  const v = t.linear(xv, p.value!, d, A);
  const gate = t.silu(t.linear(xg, p.gate!, d, A));
  const w = t.add(t.matmul(t.tanh(t.matmul(xw, p.decayW1!, d, RWKV6_DECAY_RANK)), p.decayW2!, RWKV6_DECAY_RANK, A), p.decay!);
  const lw = t.scale(t.exp(w), -1);
  return tail(t, s, 6, r, k, v, lw, gate, p);
}
