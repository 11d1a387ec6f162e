// f64 references of the channel mixers (swiglu, moe-mlp, rwkv5/6-channel-mixer) on the tape
// (src/layers/reference), written from the mad-lab modules with their parameter names: the
// oracle for the GPU layers, whose gradients come from the tape's one backward sweep.

import { expertMix, moeGate } from '../reference/experts.ts';
import { add, mul, sub, unary } from '../reference/elementwise.ts';
import { tokenShift } from '../reference/layout.ts';
import { linear } from '../reference/linear.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import type { RwkvVersion } from './rwkvChannelMixer.ts';

/** y = W3 (SiLU(W1 x) ⊙ W2 x) for x [rows, d], inner width `inner`. */
export function swigluReference(t: Tape, p: ParamVars, x: Var, d: number, inner: number): Var {
  const gate = unary(t, 'silu', linear(t, x, p['w1.weight']!, d, inner));
  return linear(t, mul(t, gate, linear(t, x, p['w2.weight']!, d, inner)), p['w3.weight']!, inner, d);
}

/** y_c = Σ_e z[c·E + e] · g_e, z = down1(up1 x ⊙ GELU_tanh(up2 x)), g = top-k gate of router(x). */
export function moeMlpReference(t: Tape, p: ParamVars, x: Var, s: { d: number; inner: number; experts: number; active: number }): Var {
  const { d, experts: e } = s;
  const hi = s.inner * e;
  const h = mul(t, linear(t, x, p['up1.weight']!, d, hi), unary(t, 'gelu-tanh', linear(t, x, p['up2.weight']!, d, hi)));
  const z = linear(t, h, p['down1.weight']!, hi, d * e);
  const gate = moeGate(t, linear(t, x, p['router.weight']!, d, e, p['router.bias']!), e, s.active);
  return expertMix(t, z, gate, x.value.length / d, d, e);
}

/**
 * y = σ(W_r x_r) ⊙ W_v ReLU(W_k x_k)² with x′ = tokenShift(x) and, per version,
 * RWKV5 x_• = x·μ_• + x′·(1 − μ_•) (time_mix_•), RWKV6 x_• = x + (x′ − x)·m_• (time_maa_•).
 */
export function rwkvChannelReference(t: Tape, p: ParamVars, x: Var, s: { T: number; d: number; inner: number; version: RwkvVersion }): Var {
  const { d, inner } = s;
  const shifted = tokenShift(t, x, s.T, d);
  const mix = (which: 'k' | 'r'): Var => {
    if (s.version === 6) return add(t, x, mul(t, sub(t, shifted, x), p[`time_maa_${which}`]!));
    const mu = p[`time_mix_${which}`]!;
    return add(t, mul(t, x, mu), sub(t, shifted, mul(t, shifted, mu)));
  };
  const k = unary(t, 'relu-squared', linear(t, mix('k'), p['key.weight']!, d, inner));
  const r = unary(t, 'sigmoid', linear(t, mix('r'), p['receptance.weight']!, d, d));
  return mul(t, r, linear(t, k, p['value.weight']!, inner, d));
}
