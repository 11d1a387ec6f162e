// CPU f64 references of the Hyena-family layers (spec §4.3), written as plain loops on a tiny
// reverse-mode tape: every op records its backward (the op references' backward functions or
// loops written here), so the whole layer's gradient — input and every parameter — comes from
// one backward sweep. The layer test checks this tape against finite differences, then checks
// the GPU layer against it.

import { causalConvBackwardReference, causalConvForwardReference } from '../../engine/ops/causalConv/reference.ts';
import { channelWrapBackwardReference, channelWrapForwardReference } from '../../engine/ops/channelWrap/reference.ts';
import { expertMixBackwardReference, expertMixForwardReference } from '../../engine/ops/expertMix/reference.ts';
import { fftConvBackwardReference, fftConvForwardReference } from '../../engine/ops/fftConv/reference.ts';
import { mhFftConvBackwardReference, mhFftConvForwardReference } from '../../engine/ops/fftConv/mhReference.ts';
import { moeGateBackwardReference, moeGateForwardReference } from '../../engine/ops/moeGate/reference.ts';
import { filterDecay } from './hyenaFilter.ts';

export class Node {
  readonly grad: Float64Array;
  constructor(readonly v: Float64Array) {
    this.grad = new Float64Array(v.length);
  }
}

export class Tape {
  private readonly steps: (() => void)[] = [];

  node(v: Float64Array, back?: (out: Node) => void): Node {
    const n = new Node(v);
    if (back) this.steps.push(() => back(n));
    return n;
  }

  backward(out: Node, seed: Float64Array): void {
    out.grad.set(seed);
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]!();
  }
}

const addInto = (dst: Float64Array, src: ArrayLike<number>): void => {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i]!;
};

/** x [rows, din] · Wᵀ + b, W [dout, din]. */
export function linearRef(tp: Tape, x: Node, w: Node, b: Node | null, din: number, dout: number): Node {
  const rows = x.v.length / din;
  const y = new Float64Array(rows * dout);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < dout; o++) {
      let s = b ? b.v[o]! : 0;
      for (let i = 0; i < din; i++) s += x.v[r * din + i]! * w.v[o * din + i]!;
      y[r * dout + o] = s;
    }
  return tp.node(y, (out) => {
    for (let r = 0; r < rows; r++)
      for (let o = 0; o < dout; o++) {
        const gy = out.grad[r * dout + o]!;
        if (b) b.grad[o] += gy;
        for (let i = 0; i < din; i++) {
          x.grad[r * din + i] += gy * w.v[o * din + i]!;
          w.grad[o * din + i] += gy * x.v[r * din + i]!;
        }
      }
  });
}

export function wrapRef(tp: Tape, x: Node, cin: number, offset: number, n: number): Node {
  return tp.node(channelWrapForwardReference(x.v, cin, offset, n), (out) =>
    addInto(x.grad, channelWrapBackwardReference(out.grad, cin, offset, n)),
  );
}

export function convRef(tp: Tape, x: Node, w: Node, b: Node, B: number, T: number, C: number, K: number): Node {
  const s = { B, T, C, K };
  return tp.node(causalConvForwardReference(s, x.v, w.v, b.v), (out) => {
    const r = causalConvBackwardReference(s, x.v, w.v, out.grad);
    addInto(x.grad, r.dx);
    addInto(w.grad, r.dw);
    addInto(b.grad, r.db);
  });
}

/** a ⊙ b, same size. */
export function mulRef(tp: Tape, a: Node, b: Node): Node {
  return tp.node(
    a.v.map((v, i) => v * b.v[i]!),
    (out) => {
      for (let i = 0; i < a.v.length; i++) {
        a.grad[i] += out.grad[i]! * b.v[i]!;
        b.grad[i] += out.grad[i]! * a.v[i]!;
      }
    },
  );
}

/** sin(f ⊙ x) with f [cols] broadcast over rows: the filter MLP's shared Sin. */
export function sinRef(tp: Tape, x: Node, f: Node, cols: number): Node {
  return tp.node(
    x.v.map((v, i) => Math.sin(f.v[i % cols]! * v)),
    (out) => {
      for (let i = 0; i < x.v.length; i++) {
        const c = Math.cos(f.v[i % cols]! * x.v[i]!) * out.grad[i]!;
        x.grad[i] += c * f.v[i % cols]!;
        f.grad[i % cols] += c * x.v[i]!;
      }
    },
  );
}

export function constMulRef(tp: Tape, x: Node, c: Float64Array): Node {
  return tp.node(
    x.v.map((v, i) => v * c[i]!),
    (out) => {
      for (let i = 0; i < x.v.length; i++) x.grad[i] += out.grad[i]! * c[i]!;
    },
  );
}

export function fftConvRef(tp: Tape, u: Node, k: Node, d: Node, B: number, T: number, C: number, CF: number): Node {
  const s = { B, T, C, CF };
  return tp.node(fftConvForwardReference(s, u.v, k.v, d.v), (out) => {
    const r = fftConvBackwardReference(s, u.v, k.v, d.v, out.grad);
    addInto(u.grad, r.du);
    addInto(k.grad, r.dk);
    addInto(d.grad, r.dd);
  });
}

export function expertMixRef(tp: Tape, z: Node, gate: Node, rows: number, d: number, e: number): Node {
  return tp.node(expertMixForwardReference(z.v, gate.v, rows, d, e), (out) => {
    const r = expertMixBackwardReference(z.v, gate.v, out.grad, rows, d, e);
    addInto(z.grad, r.dz);
    addInto(gate.grad, r.dgate);
  });
}

export function moeGateRef(tp: Tape, s: Node, e: number, k: number): Node {
  return tp.node(moeGateForwardReference(s.v, e, k), (out) => addInto(s.grad, moeGateBackwardReference(s.v, out.grad, e, k)));
}

/** Parameters by their label suffix after the layer name (e.g. 'in_proj.weight'). */
export type ParamNodes = Record<string, Node>;

/** The implicit filter k [T, width] (spec §4.3), as hyenaFilter.ts builds it. */
export function hyenaFilterRef(tp: Tape, p: ParamNodes, T: number, maxLength: number, width: number, order: number): Node {
  const f = 'filter_fn.implicit_filter';
  const z = wrapRef(tp, p['filter_fn.pos_emb.z']!, 3 * maxLength, 0, 3 * T);
  const freq = p[`${f}.1.freq`]!;
  let h = sinRef(tp, linearRef(tp, z, p[`${f}.0.weight`]!, p[`${f}.0.bias`]!, 3, order), freq, order);
  h = sinRef(tp, linearRef(tp, h, p[`${f}.2.weight`]!, p[`${f}.2.bias`]!, order, order), freq, order);
  h = sinRef(tp, linearRef(tp, h, p[`${f}.4.weight`]!, p[`${f}.4.bias`]!, order, order), freq, order);
  h = linearRef(tp, h, p[`${f}.6.weight`]!, null, order, width);
  return constMulRef(tp, h, filterDecay(T, maxLength, width));
}

export interface RefShape {
  B: number;
  T: number;
  dim: number;
  maxLength: number;
}

function streams(tp: Tape, p: ParamNodes, x: Node, s: RefShape, proj: number, groups: number, I: number, K: number): Node[] {
  const { B, T, dim } = s;
  let u = linearRef(tp, x, p['in_proj.weight']!, p['in_proj.bias']!, dim, proj);
  if (groups > 1) u = wrapRef(tp, u, proj, 0, groups * proj);
  const uc = convRef(tp, u, p['short_filter.weight']!, p['short_filter.bias']!, B, T, 3 * I, K);
  return [0, 1, 2].map((blk) => wrapRef(tp, uc, 3 * I, blk * I, I));
}

/** hyena: I = inner, tied groups, order-o filter of width I. */
export function hyenaRef(tp: Tape, p: ParamNodes, x: Node, s: RefShape, c: { inner: number; groups: number; K: number; order: number }): Node {
  const I = c.inner;
  const [x0, x1, v] = streams(tp, p, x, s, (3 * I) / c.groups, c.groups, I, c.K);
  const k = hyenaFilterRef(tp, p, s.T, s.maxLength, I, c.order);
  const conv = fftConvRef(tp, mulRef(tp, v!, x1!), k, p['filter_fn.bias']!, s.B, s.T, I, I);
  return linearRef(tp, mulRef(tp, conv, x0!), p['out_proj.weight']!, p['out_proj.bias']!, I, s.dim);
}

/** mh-hyena: the multi-head convolution is the spec's direct formula (mhFftConv's reference). */
export function mhHyenaRef(
  tp: Tape,
  p: ParamNodes,
  x: Node,
  s: RefShape,
  c: { inner: number; heads: number; groups: number; K: number; order: number },
): Node {
  const { B, T, dim } = s;
  const I = c.inner;
  const H = c.heads;
  const W = I / H;
  const proj = (3 * I) / c.groups;
  let u = linearRef(tp, x, p['in_proj.weight']!, p['in_proj.bias']!, dim, proj);
  if (c.groups > 1) u = wrapRef(tp, u, proj, 0, c.groups * proj);
  const uc = convRef(tp, u, p['short_filter.weight']!, p['short_filter.bias']!, B, T, 3 * I, c.K);
  const k = hyenaFilterRef(tp, p, T, s.maxLength, W, c.order);
  const d = p['filter_fn.bias']!;
  const shape = { B, T, I, H };
  const y = tp.node(mhFftConvForwardReference(shape, uc.v, k.v, d.v), (out) => {
    const r = mhFftConvBackwardReference(shape, uc.v, k.v, d.v, out.grad);
    addInto(uc.grad, r.duc);
    addInto(k.grad, r.dk);
    addInto(d.grad, r.dd);
  });
  return linearRef(tp, y, p['out_proj.weight']!, p['out_proj.bias']!, I, dim);
}

export function hyenaExpertsRef(
  tp: Tape,
  p: ParamNodes,
  x: Node,
  s: RefShape,
  c: { dimInner: number; experts: number; active: number; K: number; order: number },
): Node {
  const I = c.dimInner * c.experts;
  const [x0, x1, v] = streams(tp, p, x, s, 3 * I, 1, I, c.K);
  const k = hyenaFilterRef(tp, p, s.T, s.maxLength, I, c.order);
  const y = mulRef(tp, fftConvRef(tp, mulRef(tp, v!, x1!), k, p['filter_fn.bias']!, s.B, s.T, I, I), x0!);
  const scores = linearRef(tp, x, p['router.weight']!, p['router.bias']!, s.dim, c.experts);
  const gate = moeGateRef(tp, scores, c.experts, c.active);
  const mixed = expertMixRef(tp, y, gate, s.B * s.T, c.dimInner, c.experts);
  return linearRef(tp, mixed, p['out_proj.weight']!, p['out_proj.bias']!, c.dimInner, s.dim);
}
