// Shared harness of the Hyena-family layer tests: traces a layer to list its parameters, runs
// it on the GPU (forward and backward, reading the input gradient and every parameter gradient),
// and evaluates the f64 tape reference with the same parameter values.

import { expect } from 'vitest';
import { Graph } from '../../engine/graph.ts';
import { compareArrays } from '../../engine/testing/allclose.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import { asF32, randomArray } from '../../engine/testing/random.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { ParamFactory } from '../../model/params.ts';
import type { LayerConfig, LayerDefinition } from '../types.ts';
import { Tape, type Node, type ParamNodes, type RefShape } from './reference.ts';

const NAME = 'L';

export interface TracedParam {
  /** Label without the layer name, e.g. 'in_proj.weight'. */
  key: string;
  shape: readonly number[];
  values: Float32Array;
}

/**
 * The layer's parameters with test values: the layer's own 'current'-scheme init, except that
 * biases (zero there) and the Sin frequency (ones) are randomised so every term is exercised.
 */
export function traceParams(def: LayerDefinition, config: LayerConfig, s: RefShape, seed: number): TracedParam[] {
  const g = new Graph();
  const x = g.input([s.B, s.T, s.dim], 'f32', 'x');
  def.build({ g, params: new ParamFactory(g, seed, 'current'), dim: s.dim, maxLength: s.maxLength, name: NAME }, x, config);
  return g.params.map((p, i) => {
    const key = p.label.slice(NAME.length + 1);
    let values = g.initialData.get(p) as Float32Array;
    if (key.endsWith('in_proj.bias') || key.endsWith('out_proj.bias') || key.endsWith('router.bias') || /implicit_filter\.\d\.bias$/.test(key)) {
      values = asF32(randomArray(p.size, seed * 100 + i, -0.5, 0.5)).f32;
    }
    if (key.endsWith('.freq')) values = asF32(randomArray(p.size, seed * 100 + i, 0.5, 1.5)).f32;
    return { key, shape: p.shape, values };
  });
}

export interface GpuLayerResult {
  output: Float32Array;
  dx: Float32Array;
  grads: Map<string, Float32Array>;
}

export async function runLayerGpu(
  def: LayerDefinition,
  config: LayerConfig,
  s: RefShape,
  params: TracedParam[],
  x: Float32Array,
  dy: Float32Array,
): Promise<GpuLayerResult> {
  let created: Tensor[] = [];
  const { output, grads, extras } = await runOp(
    [{ shape: [s.B, s.T, s.dim], data: x }],
    (g, [xt]) => {
      const y = def.build({ g, params: new ParamFactory(g, 1, 'current'), dim: s.dim, maxLength: s.maxLength, name: NAME }, xt!, config);
      created = [...g.params];
      created.forEach((p, i) => {
        if (p.label !== `${NAME}.${params[i]!.key}`) throw new Error(`parameter order changed: ${p.label}`);
        g.initialData.set(p, params[i]!.values);
      });
      return { output: y, extras: created.map((p) => g.gradOf(p)) };
    },
    dy,
  );
  return {
    output,
    dx: grads[0]!,
    grads: new Map(params.map((p, i) => [p.key, extras[i] as Float32Array])),
  };
}

export type LayerRef = (tp: Tape, p: ParamNodes, x: Node) => Node;

/** Runs the tape reference: output, dx and every parameter gradient for upstream dy. */
export function runLayerRef(
  ref: LayerRef,
  params: TracedParam[],
  x: Float64Array,
  dy: Float64Array,
): { output: Float64Array; dx: Float64Array; grads: Map<string, Float64Array> } {
  const tp = new Tape();
  const xn = tp.node(Float64Array.from(x));
  const pn: ParamNodes = Object.fromEntries(params.map((p) => [p.key, tp.node(Float64Array.from(p.values))]));
  const out = ref(tp, pn, xn);
  tp.backward(out, dy);
  return { output: out.v, dx: xn.grad, grads: new Map(params.map((p) => [p.key, pn[p.key]!.grad])) };
}

/** Finite differences of the tape reference with respect to x and every parameter. */
export function gradcheckLayerRef(ref: LayerRef, params: TracedParam[], x: Float64Array, dy: Float64Array): number {
  const analytic = runLayerRef(ref, params, x, dy);
  const inputs = [Float64Array.from(x), ...params.map((p) => Float64Array.from(p.values))];
  const forward = (xs: Float64Array[]): Float64Array => {
    const tp = new Tape();
    const pn: ParamNodes = Object.fromEntries(params.map((p, i) => [p.key, tp.node(xs[i + 1]!)]));
    return ref(tp, pn, tp.node(xs[0]!)).v;
  };
  const grads = [analytic.dx, ...params.map((p) => analytic.grads.get(p.key)!)];
  return gradcheck(forward, inputs, dy, grads, grads.map((_, i) => i)).maxAbsDiff;
}

/**
 * Compares with atol taken relative to the largest reference value (atol·max|ref|), so tiny
 * gradients (the filter MLP's, scaled by the decay) are held to the same relative accuracy as
 * O(1) ones instead of passing trivially.
 */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, atolRel: number, rtol: number): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  const atol = atolRel * scale;
  const r = compareArrays(actual, expected, { atol, rtol });
  console.log(
    `${r.ok ? 'pass' : 'FAIL'}  ${what}: max |diff| ${r.maxAbsDiff.toExponential(2)}, max |ref| ${scale.toExponential(2)} (tolerance ${atolRel}·max|ref| + ${rtol}·|ref|)`,
  );
  expect(scale, `${what}: reference is all zero`).toBeGreaterThan(0);
  expect(r.ok, `${what}: max |diff| ${r.maxAbsDiff}`).toBe(true);
  return r.maxAbsDiff;
}

/** GPU layer vs the f64 tape: output, dx and every parameter gradient. */
export async function expectLayerMatchesRef(
  def: LayerDefinition,
  config: LayerConfig,
  s: RefShape,
  ref: LayerRef,
  seed: number,
  tol: { atol: number; rtol: number },
): Promise<void> {
  const params = traceParams(def, config, s, seed);
  const x = asF32(randomArray(s.B * s.T * s.dim, seed + 1));
  const dy = asF32(randomArray(s.B * s.T * s.dim, seed + 2));
  const gpu = await runLayerGpu(def, config, s, params, x.f32, dy.f32);
  const cpu = runLayerRef(ref, params, x.f64, dy.f64);
  expectClose(`${def.name} forward`, gpu.output, cpu.output, tol.atol, tol.rtol);
  expectClose(`${def.name} backward dx`, gpu.dx, cpu.dx, tol.atol, tol.rtol);
  for (const p of params) {
    expectClose(`${def.name} backward d(${p.key})`, gpu.grads.get(p.key)!, cpu.grads.get(p.key)!, tol.atol, tol.rtol);
  }
}
