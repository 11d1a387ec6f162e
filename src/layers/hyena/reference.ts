// f64 references of the Hyena-family layers (docs/protocol.md §4.3) on the tape, with their parameter names:
// every op's value and backward come from the ops' own references, so the whole layer's gradient
// (input and every parameter) comes from one backward sweep. The layer tests check the tape
// against finite differences, then the GPU layer against the tape.

import { mul, unary } from '../reference/elementwise.ts';
import { expertMix, moeGate } from '../reference/experts.ts';
import { channelWrap, slice } from '../reference/layout.ts';
import { linear } from '../reference/linear.ts';
import { causalConv, fftConv, mhFftConv } from '../reference/sequence.ts';
import type { ParamVars, Tape, Var } from '../reference/tape.ts';
import type { WeightRange } from '../testing/layerHarness.ts';
import { filterDecay } from './hyenaFilter.ts';

export interface HyenaReferenceShape {
  T: number;
  dim: number;
  maxLength: number;
}

/** The implicit filter k [T, width] (docs/protocol.md §4.3), as hyenaFilter.ts builds it. */
function implicitFilter(t: Tape, p: ParamVars, s: HyenaReferenceShape, width: number, order: number): Var {
  const f = 'filter_fn.implicit_filter';
  const z = slice(t, p['filter_fn.pos_emb.z']!, 3 * s.maxLength, 0, 3 * s.T); // the first T positions
  const sinOfFreq = (h: Var): Var => unary(t, 'sin', mul(t, h, p[`${f}.1.freq`]!)); // one Sin module, shared
  let h = sinOfFreq(linear(t, z, p[`${f}.0.weight`]!, 3, order, p[`${f}.0.bias`]!));
  h = sinOfFreq(linear(t, h, p[`${f}.2.weight`]!, order, order, p[`${f}.2.bias`]!));
  h = sinOfFreq(linear(t, h, p[`${f}.4.weight`]!, order, order, p[`${f}.4.bias`]!));
  h = linear(t, h, p[`${f}.6.weight`]!, order, width);
  return mul(t, h, t.leaf(filterDecay(s.T, s.maxLength, width)));
}

/** in_proj (tiled `groups` times when grouped), the short causal conv, then the three streams [x0, x1, v] of width I. */
function streams(t: Tape, p: ParamVars, x: Var, s: HyenaReferenceShape, groups: number, I: number, K: number): { uc: Var; streams: Var[] } {
  const proj = (3 * I) / groups;
  let u = linear(t, x, p['in_proj.weight']!, s.dim, proj, p['in_proj.bias']!);
  if (groups > 1) u = channelWrap(t, u, proj, 0, groups * proj);
  const shape = { B: x.value.length / (s.T * s.dim), T: s.T, C: 3 * I, K };
  const uc = causalConv(t, shape, u, p['short_filter.weight']!, p['short_filter.bias']!);
  return { uc, streams: [0, 1, 2].map((block) => slice(t, uc, 3 * I, block * I, I)) };
}

/** hyena: inner width I, tied projection groups, order-o filter of width I. */
export function hyenaReference(t: Tape, p: ParamVars, x: Var, s: HyenaReferenceShape, c: { inner: number; groups: number; K: number; order: number }): Var {
  const I = c.inner;
  const [x0, x1, v] = streams(t, p, x, s, c.groups, I, c.K).streams;
  const k = implicitFilter(t, p, s, I, c.order);
  const B = x.value.length / (s.T * s.dim);
  const conv = fftConv(t, { B, T: s.T, C: I, CF: I }, mul(t, v!, x1!), k, p['filter_fn.bias']!);
  return linear(t, mul(t, conv, x0!), p['out_proj.weight']!, I, s.dim, p['out_proj.bias']!);
}

/** mh-hyena: the multi-head convolution is the direct formula (mhFftConv's reference). */
export function mhHyenaReference(
  t: Tape,
  p: ParamVars,
  x: Var,
  s: HyenaReferenceShape,
  c: { inner: number; heads: number; groups: number; K: number; order: number },
): Var {
  const I = c.inner;
  const { uc } = streams(t, p, x, s, c.groups, I, c.K);
  const k = implicitFilter(t, p, s, I / c.heads, c.order);
  const y = mhFftConv(t, { B: x.value.length / (s.T * s.dim), T: s.T, I, H: c.heads }, uc, k, p['filter_fn.bias']!);
  return linear(t, y, p['out_proj.weight']!, I, s.dim, p['out_proj.bias']!);
}

/** hyena-experts: the hyena operator over all experts' channels, then a top-k mix of the experts. */
export function hyenaExpertsReference(
  t: Tape,
  p: ParamVars,
  x: Var,
  s: HyenaReferenceShape,
  c: { dimInner: number; experts: number; active: number; K: number; order: number },
): Var {
  const I = c.dimInner * c.experts;
  const B = x.value.length / (s.T * s.dim);
  const [x0, x1, v] = streams(t, p, x, s, 1, I, c.K).streams;
  const k = implicitFilter(t, p, s, I, c.order);
  const y = mul(t, fftConv(t, { B, T: s.T, C: I, CF: I }, mul(t, v!, x1!), k, p['filter_fn.bias']!), x0!);
  const gate = moeGate(t, linear(t, x, p['router.weight']!, s.dim, c.experts, p['router.bias']!), c.experts, c.active);
  const mixed = expertMix(t, y, gate, B * s.T, c.dimInner, c.experts);
  return linear(t, mixed, p['out_proj.weight']!, c.dimInner, s.dim, p['out_proj.bias']!);
}

/**
 * Test values of the Hyena family's parameters: the layer's own 'current'-scheme init, except
 * the biases (zero there) and the Sin frequency (ones), randomised so every term is exercised.
 */
export function hyenaWeightRange(key: string): WeightRange {
  if (/(in_proj|out_proj|router)\.bias$|implicit_filter\.\d\.bias$/.test(key)) return [-0.5, 0.5];
  if (key.endsWith('.freq')) return [0.5, 1.5];
  return 'init';
}
