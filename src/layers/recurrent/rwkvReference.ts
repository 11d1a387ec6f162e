// f64 references of the RWKV5/6 time mixers on the tape, written straight from the mad-lab
// module with its parameter names (GroupNorm on y / divisor for RWKV5, so the GPU layer's
// eps·divisor² rewrite is checked too).

import { add, mul, scale, sub, tanh, unary } from '../reference/elementwise.ts';
import { slice, tokenShift } from '../reference/layout.ts';
import { linear, matmul } from '../reference/linear.ts';
import { groupNorm } from '../reference/norms.ts';
import { recurrence } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import { RWKV6_DECAY_RANK, RWKV6_MIX_RANK, type RwkvVersion } from './rwkvTimeMixer.ts';

export interface RwkvReferenceShape {
  T: number;
  dim: number;
  heads: number;
  headDim: number;
  divisor: number;
}

/** The shared tail: recurrence with the bonus, GroupNorm(heads), gate, output projection. */
function tail(t: Tape, p: ParamVars, s: RwkvReferenceShape, version: RwkvVersion, r: Var, k: Var, v: Var, logDecay: Var, gate: Var): Var {
  const A = s.heads * s.headDim;
  const dims = { B: r.value.length / (s.T * A), T: s.T, H: s.heads, dk: s.headDim, dv: s.headDim };
  const y = recurrence(t, 'rwkv', dims, r, k, v, logDecay, p.time_faaaa!);
  const normed =
    version === 5
      ? groupNorm(t, scale(t, y, 1 / s.divisor), p['ln_x.weight']!, p['ln_x.bias']!, s.heads, 1e-5)
      : groupNorm(t, y, p['ln_x.weight']!, p['ln_x.bias']!, s.heads, 1e-5 * s.divisor ** 2);
  return linear(t, mul(t, normed, gate), p['output.weight']!, A, s.dim);
}

/** x [B, T, dim] → [B, T, dim]. */
export function rwkvTimeReference(t: Tape, version: RwkvVersion, p: ParamVars, x: Var, s: RwkvReferenceShape): Var {
  const { T, dim: d } = s;
  const A = s.heads * s.headDim;
  const shifted = tokenShift(t, x, T, d);
  const project = (xIn: Var, name: string): Var => linear(t, xIn, p[`${name}.weight`]!, d, A);
  if (version === 5) {
    const mix = (which: string): Var => {
      const mu = p[`time_mix_${which}`]!;
      return add(t, mul(t, x, mu), sub(t, shifted, mul(t, shifted, mu))); // x·μ + x′·(1 − μ)
    };
    const perChannel = scale(t, unary(t, 'exp', p.time_decay!), -1);
    const logDecay = add(t, t.leaf(new Float64Array(x.value.length / d * A)), perChannel);
    const gate = unary(t, 'silu', project(mix('g'), 'gate'));
    return tail(t, p, s, 5, project(mix('r'), 'receptance'), project(mix('k'), 'key'), project(mix('v'), 'value'), logDecay, gate);
  }
  const R = RWKV6_MIX_RANK;
  const dx = sub(t, shifted, x);
  const m = tanh(t, matmul(t, add(t, x, mul(t, dx, p.time_maa_x!)), p.time_maa_w1!, d, 5 * R));
  const branch = (j: number, which: string): Var => {
    const w2j = slice(t, p.time_maa_w2!, 5 * R * d, j * R * d, R * d);
    const mj = matmul(t, slice(t, m, 5 * R, j * R, R), w2j, R, d);
    return add(t, x, mul(t, dx, add(t, mj, p[`time_maa_${which}`]!)));
  };
  const xw = branch(0, 'w');
  const decay = add(t, matmul(t, tanh(t, matmul(t, xw, p.time_decay_w1!, d, RWKV6_DECAY_RANK)), p.time_decay_w2!, RWKV6_DECAY_RANK, A), p.time_decay!);
  const logDecay = scale(t, unary(t, 'exp', decay), -1);
  const gate = unary(t, 'silu', project(branch(4, 'g'), 'gate'));
  return tail(t, p, s, 6, project(branch(3, 'r'), 'receptance'), project(branch(1, 'k'), 'key'), project(branch(2, 'v'), 'value'), logDecay, gate);
}
