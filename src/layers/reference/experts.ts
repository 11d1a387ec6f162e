// Mixture-of-experts routing on the tape, from the ops' f64 references: the top-k gate (softmax
// over all experts after masking scores below the k-th largest) and the gate-weighted sum of the
// experts' outputs.

import { expertMixBackwardReference, expertMixForwardReference } from '../../engine/ops/expertMix/reference.ts';
import { moeGateBackwardReference, moeGateForwardReference } from '../../engine/ops/moeGate/reference.ts';
import type { Tape, Var } from './tape.ts';

/** scores [rows, experts] → gate [rows, experts], `active` experts per row. */
export function moeGate(t: Tape, scores: Var, experts: number, active: number): Var {
  return t.op(moeGateForwardReference(scores.value, experts, active), [scores], (dy) => [moeGateBackwardReference(scores.value, dy, experts, active)]);
}

/** y[r, c] = Σ_e z[r, c·E + e] · gate[r, e] for z [rows, d·E]. */
export function expertMix(t: Tape, z: Var, gate: Var, rows: number, d: number, experts: number): Var {
  return t.op(expertMixForwardReference(z.value, gate.value, rows, d, experts), [z, gate], (dy) => {
    const r = expertMixBackwardReference(z.value, gate.value, dy, rows, d, experts);
    return [r.dz, r.dgate];
  });
}
