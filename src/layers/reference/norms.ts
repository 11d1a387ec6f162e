// Normalisations on the tape, from the norm ops' f64 references: RMSNorm and LayerNorm over
// groups of w.length values, and GroupNorm written as PyTorch defines it (normalise each group
// without affine, then a per-channel weight and bias).

import { layernormBackwardReference, layernormForwardReference } from '../../engine/ops/layernorm/reference.ts';
import { rmsnormBackwardReference, rmsnormForwardReference } from '../../engine/ops/rmsnorm/reference.ts';
import { add, mul } from './elementwise.ts';
import type { Tape, Var } from './tape.ts';

/** x / √(mean(x²) + eps) ∘ w over consecutive groups of w.length values. */
export function rmsnorm(t: Tape, x: Var, w: Var, eps: number): Var {
  return t.op(rmsnormForwardReference(x.value, w.value, eps).y, [x, w], (dy) => {
    const r = rmsnormBackwardReference(x.value, w.value, dy, eps);
    return [r.dx, r.dw];
  });
}

/** (x − mean) / √(var + eps) ∘ w + b over consecutive groups of w.length values. */
export function layernorm(t: Tape, x: Var, w: Var, b: Var, eps: number): Var {
  return t.op(layernormForwardReference(x.value, w.value, b.value, eps).y, [x, w, b], (dy) => {
    const r = layernormBackwardReference(x.value, w.value, b.value, dy, eps);
    return [r.dx, r.dw, r.db];
  });
}

/** GroupNorm of rows of w.length channels in `groups` groups, with per-channel affine w, b. */
export function groupNorm(t: Tape, x: Var, w: Var, b: Var, groups: number, eps: number): Var {
  const groupSize = w.value.length / groups;
  const ones = t.leaf(new Float64Array(groupSize).fill(1));
  const zeros = t.leaf(new Float64Array(groupSize));
  return add(t, mul(t, layernorm(t, x, ones, zeros, eps), w), b);
}
