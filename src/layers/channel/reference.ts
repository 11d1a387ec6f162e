// CPU f64 references of the channel mixers (swiglu, moe-mlp, rwkv5/6-channel-mixer): forward
// and hand-written backward with plain loops, the oracle for the GPU layers. Tensors are flat
// row-major: x [N, d] with N = B·T rows (the RWKV token shift also needs T), Linear weights
// [out, in] as PyTorch stores them.

import { expertMixBackwardReference, expertMixForwardReference } from '../../engine/ops/expertMix/reference.ts';
import { moeGateBackwardReference, moeGateForwardReference } from '../../engine/ops/moeGate/reference.ts';
import { tokenShiftBackwardReference, tokenShiftForwardReference } from '../../engine/ops/tokenShift/reference.ts';
import { unaryDerivativeReference, unaryReference } from '../../engine/ops/unary/reference.ts';
import type { UnaryOp } from '../../engine/ops/unary/unary.ts';

// ---- building blocks ----------------------------------------------------------------------

/** y[n, o] = Σ_i x[n, i] · w[o, i] (+ b[o]). */
export function linearRef(x: Float64Array, w: Float64Array, n: number, inDim: number, out: number, b?: Float64Array): Float64Array {
  const y = new Float64Array(n * out);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < out; o++) {
      let acc = b ? b[o]! : 0;
      for (let i = 0; i < inDim; i++) acc += x[r * inDim + i]! * w[o * inDim + i]!;
      y[r * out + o] = acc;
    }
  }
  return y;
}

/** Adds dx = dy · w into dx and dw = dyᵀ · x into dw (db = Σ_rows dy when given). */
export function linearBackRef(
  x: Float64Array,
  w: Float64Array,
  dy: Float64Array,
  n: number,
  inDim: number,
  out: number,
  dx: Float64Array,
  dw: Float64Array,
  db?: Float64Array,
): void {
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < out; o++) {
      const g = dy[r * out + o]!;
      if (db) db[o]! += g;
      for (let i = 0; i < inDim; i++) {
        dx[r * inDim + i]! += g * w[o * inDim + i]!;
        dw[o * inDim + i]! += g * x[r * inDim + i]!;
      }
    }
  }
}

const act = (op: UnaryOp, v: Float64Array): Float64Array => v.map((x) => unaryReference(op, x, 1));
const dact = (op: UnaryOp, v: Float64Array): Float64Array => v.map((x) => unaryDerivativeReference(op, x, 1));

// ---- swiglu ---------------------------------------------------------------------------------

export interface SwigluWeights {
  w1: Float64Array; // [inner, d]
  w2: Float64Array; // [inner, d]
  w3: Float64Array; // [d, inner]
}

/** y = W3 (silu(W1 x) ⊙ W2 x). */
export function swigluReference(x: Float64Array, p: SwigluWeights, n: number, d: number, inner: number): Float64Array {
  const a = linearRef(x, p.w1, n, d, inner);
  const b = linearRef(x, p.w2, n, d, inner);
  const h = act('silu', a).map((v, i) => v * b[i]!);
  return linearRef(h, p.w3, n, inner, d);
}

export function swigluBackwardReference(
  x: Float64Array,
  p: SwigluWeights,
  dy: Float64Array,
  n: number,
  d: number,
  inner: number,
): { dx: Float64Array; dw1: Float64Array; dw2: Float64Array; dw3: Float64Array } {
  const a = linearRef(x, p.w1, n, d, inner);
  const b = linearRef(x, p.w2, n, d, inner);
  const sa = act('silu', a);
  const h = sa.map((v, i) => v * b[i]!);
  const dh = new Float64Array(n * inner);
  const dw3 = new Float64Array(p.w3.length);
  linearBackRef(h, p.w3, dy, n, inner, d, dh, dw3);
  const dsa = dact('silu', a);
  const da = dh.map((v, i) => v * b[i]! * dsa[i]!);
  const db = dh.map((v, i) => v * sa[i]!);
  const dx = new Float64Array(n * d);
  const dw1 = new Float64Array(p.w1.length);
  const dw2 = new Float64Array(p.w2.length);
  linearBackRef(x, p.w1, da, n, d, inner, dx, dw1);
  linearBackRef(x, p.w2, db, n, d, inner, dx, dw2);
  return { dx, dw1, dw2, dw3 };
}

// ---- moe-mlp --------------------------------------------------------------------------------

export interface MoeShape {
  n: number;
  d: number;
  /** Per-expert inner width (16 in MAD); up1/up2 map d → inner·experts. */
  inner: number;
  experts: number;
  active: number;
}

export interface MoeWeights {
  up1: Float64Array; // [inner·E, d]
  up2: Float64Array; // [inner·E, d]
  down1: Float64Array; // [d·E, inner·E]
  router: Float64Array; // [E, d]
  routerBias: Float64Array; // [E]
}

/** y_c = Σ_e z[c·E + e] · g_e, z = down1(up1 x ⊙ gelu_tanh(up2 x)), g = moeGate(router x, k). */
export function moeMlpReference(x: Float64Array, p: MoeWeights, s: MoeShape): Float64Array {
  const { n, d, inner, experts: e, active } = s;
  const hi = inner * e;
  const u1 = linearRef(x, p.up1, n, d, hi);
  const u2 = linearRef(x, p.up2, n, d, hi);
  const h = act('gelu-tanh', u2).map((v, i) => v * u1[i]!);
  const z = linearRef(h, p.down1, n, hi, d * e);
  const gate = moeGateForwardReference(linearRef(x, p.router, n, d, e, p.routerBias), e, active);
  return expertMixForwardReference(z, gate, n, d, e);
}

export function moeMlpBackwardReference(
  x: Float64Array,
  p: MoeWeights,
  dy: Float64Array,
  s: MoeShape,
): { dx: Float64Array; dup1: Float64Array; dup2: Float64Array; ddown1: Float64Array; drouter: Float64Array; drouterBias: Float64Array } {
  const { n, d, inner, experts: e, active } = s;
  const hi = inner * e;
  const u1 = linearRef(x, p.up1, n, d, hi);
  const u2 = linearRef(x, p.up2, n, d, hi);
  const gu2 = act('gelu-tanh', u2);
  const h = gu2.map((v, i) => v * u1[i]!);
  const z = linearRef(h, p.down1, n, hi, d * e);
  const scores = linearRef(x, p.router, n, d, e, p.routerBias);
  const gate = moeGateForwardReference(scores, e, active);
  const { dz, dgate } = expertMixBackwardReference(z, gate, dy, n, d, e);
  const ds = moeGateBackwardReference(scores, dgate, e, active);
  const dx = new Float64Array(n * d);
  const drouter = new Float64Array(p.router.length);
  const drouterBias = new Float64Array(e);
  linearBackRef(x, p.router, ds, n, d, e, dx, drouter, drouterBias);
  const dh = new Float64Array(n * hi);
  const ddown1 = new Float64Array(p.down1.length);
  linearBackRef(h, p.down1, dz, n, hi, d * e, dh, ddown1);
  const dgu2 = dact('gelu-tanh', u2);
  const du1 = dh.map((v, i) => v * gu2[i]!);
  const du2 = dh.map((v, i) => v * u1[i]! * dgu2[i]!);
  const dup1 = new Float64Array(p.up1.length);
  const dup2 = new Float64Array(p.up2.length);
  linearBackRef(x, p.up1, du1, n, d, hi, dx, dup1);
  linearBackRef(x, p.up2, du2, n, d, hi, dx, dup2);
  return { dx, dup1, dup2, ddown1, drouter, drouterBias };
}

// ---- rwkv5/6 channel mixer ------------------------------------------------------------------

export type RwkvVersion = 5 | 6;

export interface RwkvChannelShape {
  b: number;
  t: number;
  d: number;
  inner: number;
  version: RwkvVersion;
}

export interface RwkvChannelWeights {
  /** RWKV5 time_mix_k (μ_k) or RWKV6 time_maa_k (m_k): [d]. */
  mixK: Float64Array;
  mixR: Float64Array;
  key: Float64Array; // [inner, d]
  receptance: Float64Array; // [d, d]
  value: Float64Array; // [d, inner]
}

/** RWKV5: x_k = x·μ + x′·(1−μ).  RWKV6: x_k = x + (x′ − x)·m (μ, m: [d], broadcast over rows). */
function mixRef(x: Float64Array, xs: Float64Array, mix: Float64Array, d: number, version: RwkvVersion): Float64Array {
  return x.map((v, i) => {
    const m = mix[i % d]!;
    return version === 5 ? v * m + xs[i]! * (1 - m) : v + (xs[i]! - v) * m;
  });
}

function mixBackRef(
  x: Float64Array,
  xs: Float64Array,
  mix: Float64Array,
  dmixed: Float64Array,
  d: number,
  version: RwkvVersion,
  dx: Float64Array,
  dxs: Float64Array,
  dmix: Float64Array,
): void {
  for (let i = 0; i < x.length; i++) {
    const c = i % d;
    const m = mix[c]!;
    const g = dmixed[i]!;
    if (version === 5) {
      dx[i]! += g * m;
      dxs[i]! += g * (1 - m);
      dmix[c]! += g * (x[i]! - xs[i]!);
    } else {
      dx[i]! += g * (1 - m);
      dxs[i]! += g * m;
      dmix[c]! += g * (xs[i]! - x[i]!);
    }
  }
}

/** y = σ(W_r x_r) ⊙ W_v ReLU(W_k x_k)². */
export function rwkvChannelReference(x: Float64Array, p: RwkvChannelWeights, s: RwkvChannelShape): Float64Array {
  const { b, t, d, inner, version } = s;
  const n = b * t;
  const xs = tokenShiftForwardReference(x, b, t, d);
  const xk = mixRef(x, xs, p.mixK, d, version);
  const xr = mixRef(x, xs, p.mixR, d, version);
  const k = act('relu-squared', linearRef(xk, p.key, n, d, inner));
  const kv = linearRef(k, p.value, n, inner, d);
  const r = act('sigmoid', linearRef(xr, p.receptance, n, d, d));
  return r.map((v, i) => v * kv[i]!);
}

export function rwkvChannelBackwardReference(
  x: Float64Array,
  p: RwkvChannelWeights,
  dy: Float64Array,
  s: RwkvChannelShape,
): { dx: Float64Array; dmixK: Float64Array; dmixR: Float64Array; dkey: Float64Array; dreceptance: Float64Array; dvalue: Float64Array } {
  const { b, t, d, inner, version } = s;
  const n = b * t;
  const xs = tokenShiftForwardReference(x, b, t, d);
  const xk = mixRef(x, xs, p.mixK, d, version);
  const xr = mixRef(x, xs, p.mixR, d, version);
  const kPre = linearRef(xk, p.key, n, d, inner);
  const k = act('relu-squared', kPre);
  const kv = linearRef(k, p.value, n, inner, d);
  const rPre = linearRef(xr, p.receptance, n, d, d);
  const r = act('sigmoid', rPre);
  const dkv = dy.map((v, i) => v * r[i]!);
  const drPre = dy.map((v, i) => v * kv[i]! * r[i]! * (1 - r[i]!));
  const dk = new Float64Array(n * inner);
  const dvalue = new Float64Array(p.value.length);
  linearBackRef(k, p.value, dkv, n, inner, d, dk, dvalue);
  const dkPre = dk.map((v, i) => v * unaryDerivativeReference('relu-squared', kPre[i]!, 1));
  const dxk = new Float64Array(n * d);
  const dkey = new Float64Array(p.key.length);
  linearBackRef(xk, p.key, dkPre, n, d, inner, dxk, dkey);
  const dxr = new Float64Array(n * d);
  const dreceptance = new Float64Array(p.receptance.length);
  linearBackRef(xr, p.receptance, drPre, n, d, d, dxr, dreceptance);
  const dx = new Float64Array(n * d);
  const dxs = new Float64Array(n * d);
  const dmixK = new Float64Array(d);
  const dmixR = new Float64Array(d);
  mixBackRef(x, xs, p.mixK, dxk, d, version, dx, dxs, dmixK);
  mixBackRef(x, xs, p.mixR, dxr, d, version, dx, dxs, dmixR);
  tokenShiftBackwardReference(dxs, b, t, d).forEach((v, i) => (dx[i]! += v));
  return { dx, dmixK, dmixR, dkey, dreceptance, dvalue };
}
