// The one harness of the layer tests. A LayerCase names a layer as the model builds it, its f64
// reference on the tape (src/layers/reference) and the ranges of its test weights. The harness
// traces the layer to list its parameters by label, draws the input, the upstream gradient and
// every weight from one seeded stream (f32 values, so the GPU and the reference see the same
// numbers), then either
//   - runs the layer on the GPU (forward and backward) and compares the output, the input
//     gradient and EVERY parameter gradient with the reference (expectLayerMatchesReference), or
//   - checks the reference's gradients against central finite differences
//     (expectReferenceMatchesFiniteDifferences).
// Each comparison prints its largest difference against its tolerance.

import { Graph } from '../../engine/graph.ts';
import { expectClose, type Tolerance } from '../../engine/testing/allclose.ts';
import { gradcheck } from '../../engine/testing/gradcheck.ts';
import { runOp } from '../../engine/testing/opHarness.ts';
import type { Tensor } from '../../engine/tensor.ts';
import { ParamFactory } from '../../engine/params.ts';
import { Prng } from '../../tasks/prng.ts';
import { Tape, type ParamVars, type Var } from '../reference/tape.ts';
import type { LayerContext } from '../types.ts';

/** The prefix of the layer's parameter labels; keys are the labels without it. */
const LAYER_NAME = 'layer';

export interface LayerShape {
  B: number;
  T: number;
  dim: number;
  /** mad-lab's max_length (Hyena's filter length); the other layers ignore it. */
  maxLength: number;
}

/** Test values of a parameter: uniform in [lo, hi], or the layer's own 'current'-scheme init. */
export type WeightRange = readonly [lo: number, hi: number] | 'init';

export interface LayerCase {
  /** Printed before every comparison. */
  name: string;
  shape: LayerShape;
  /** Records the layer into ctx.g: usually `definition.build(ctx, x, config)`. */
  build(ctx: LayerContext, x: Tensor): Tensor;
  /** The same layer in f64 on the tape: x [B, T, dim] → [B, T, dim]. */
  reference(t: Tape, p: ParamVars, x: Var): Var;
  weights(key: string, shape: readonly number[]): WeightRange;
  /** Keys of parameters the layer creates and never uses (moe-mlp's gates): their gradient must be exactly 0. */
  unused?: readonly string[];
  seed: number;
}

interface NamedWeight {
  key: string;
  values: Float32Array;
}

interface LayerData {
  x: Float32Array;
  dy: Float32Array;
  weights: NamedWeight[];
}

interface LayerResult {
  output: ArrayLike<number>;
  dx: ArrayLike<number>;
  grads: Map<string, ArrayLike<number>>;
}

const f64 = (values: Float32Array): Float64Array => Float64Array.from(values);

function context(g: Graph, c: LayerCase): LayerContext {
  return { g, params: new ParamFactory(g, c.seed, 'current'), dim: c.shape.dim, maxLength: c.shape.maxLength, name: LAYER_NAME };
}

/** Input, upstream gradient and every weight (by key, in creation order) from one seeded stream. */
function layerData(c: LayerCase): LayerData {
  const rng = new Prng(c.seed);
  const draw = (n: number, lo = -1, hi = 1): Float32Array => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.random());
  const { B, T, dim } = c.shape;
  const x = draw(B * T * dim);
  const dy = draw(B * T * dim);
  const g = new Graph('cpu'); // traced only to list the parameters, whose shapes no target changes
  c.build(context(g, c), g.input([B, T, dim], 'f32', 'x'));
  const weights = g.params.map((p) => {
    const key = p.label.slice(LAYER_NAME.length + 1);
    const range = c.weights(key, p.shape);
    const values = range === 'init' ? (g.initialData.get(p) as Float32Array) : draw(p.size, ...range);
    return { key, values };
  });
  return { x, dy, weights };
}

async function runGpu(c: LayerCase, data: LayerData): Promise<LayerResult> {
  const byKey = new Map(data.weights.map((w) => [w.key, w.values]));
  const { B, T, dim } = c.shape;
  const { output, grads, extras } = await runOp(
    [{ shape: [B, T, dim], data: data.x }],
    (g, [x]) => {
      const y = c.build(context(g, c), x!);
      for (const p of g.params) {
        const values = byKey.get(p.label.slice(LAYER_NAME.length + 1));
        if (!values || g.params.length !== byKey.size) throw new Error(`${c.name}: the layer's parameters changed between two builds (${p.label})`);
        g.initialData.set(p, values);
      }
      return { output: y, extras: g.params.map((p) => g.gradOf(p)) };
    },
    data.dy,
  );
  return { output, dx: grads[0]!, grads: new Map(data.weights.map((w, i) => [w.key, extras[i]!])) };
}

function runReference(c: LayerCase, x: Float64Array, weights: readonly Float64Array[], keys: readonly string[], dy?: Float64Array) {
  const t = new Tape();
  const xv = t.leaf(x);
  const params = keys.map((_, i) => t.leaf(weights[i]!));
  const y = c.reference(t, Object.fromEntries(keys.map((k, i) => [k, params[i]!])), xv);
  if (dy) t.backward(y, dy);
  return { output: y.value, dx: xv.grad, grads: params.map((p) => p.grad) };
}

/** The GPU layer's output, input gradient and every parameter gradient against the f64 reference. */
export async function expectLayerMatchesReference(c: LayerCase, tolerance: Tolerance): Promise<void> {
  const data = layerData(c);
  const keys = data.weights.map((w) => w.key);
  const gpu = await runGpu(c, data);
  const ref = runReference(c, f64(data.x), data.weights.map((w) => f64(w.values)), keys, f64(data.dy));
  expectClose(`${c.name} forward`, gpu.output, ref.output, tolerance);
  expectClose(`${c.name} backward dx`, gpu.dx, ref.dx, tolerance);
  keys.forEach((key, i) => {
    const name = `${c.name} backward d(${key})`;
    if (c.unused?.includes(key)) {
      const nonzero = [...Array.from(gpu.grads.get(key)!), ...ref.grads[i]!].some((v) => v !== 0);
      console.log(`${name}: unused by the layer, gradient ${nonzero ? 'NOT ' : ''}zero on the GPU and in the reference`);
      if (nonzero) throw new Error(`${name}: a parameter the layer never uses got a gradient`);
    } else {
      expectClose(name, gpu.grads.get(key)!, ref.grads[i]!, tolerance);
    }
  });
}

/** Limits on the reference's gradients against central finite differences (gradcheck.ts). */
export interface FiniteDifferenceLimits {
  maxAbsDiff?: number;
  /** |analytic − numeric| / max(1e-3, |numeric|). */
  maxRelDiff?: number;
}

/** The reference's input gradient and every parameter gradient against central finite differences. */
export function expectReferenceMatchesFiniteDifferences(c: LayerCase, limits: FiniteDifferenceLimits): void {
  const data = layerData(c);
  const keys = data.weights.map((w) => w.key);
  const inputs = [f64(data.x), ...data.weights.map((w) => f64(w.values))];
  const dy = f64(data.dy);
  const analytic = runReference(c, inputs[0]!, inputs.slice(1), keys, dy);
  const r = gradcheck((xs) => runReference(c, xs[0]!, xs.slice(1), keys).output, inputs, dy, [analytic.dx, ...analytic.grads], inputs.map((_, i) => i));
  const within = (value: number, limit: number | undefined): boolean => limit === undefined || value < limit;
  const describe = (value: number, limit: number | undefined): string => `${value.toExponential(2)}${limit === undefined ? '' : ` (limit ${limit})`}`;
  const line = `${c.name} reference vs finite differences: max |diff| ${describe(r.maxAbsDiff, limits.maxAbsDiff)}, max relative diff ${describe(r.maxRelDiff, limits.maxRelDiff)}`;
  console.log(line);
  if (limits.maxAbsDiff === undefined && limits.maxRelDiff === undefined) throw new Error(`${c.name}: no finite-difference limit given`);
  if (!within(r.maxAbsDiff, limits.maxAbsDiff) || !within(r.maxRelDiff, limits.maxRelDiff)) throw new Error(`${line} — FAILED`);
}
