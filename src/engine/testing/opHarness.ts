// Runs one op (or a small composition) on the GPU: uploads inputs, records forward and,
// given an upstream gradient, backward; returns the output and the inputs' gradients.
// Every GPU-versus-reference test goes through here.

import { withErrorScope } from '../../gpu/deviceErrors.ts';
import { compileGraph } from '../compile.ts';
import { Graph } from '../graph.ts';
import type { DType, Tensor } from '../tensor.ts';
import { testGpu } from './gpu.ts';

export interface HarnessInput {
  shape: number[];
  data: Float32Array | Int32Array | Uint32Array;
  dtype?: DType;
  /** Differentiate with respect to this input (default: f32 inputs do). */
  grad?: boolean;
  /** Make it a trainable parameter (lives in the parameter pool, as weights do). */
  param?: boolean;
}

export interface HarnessResult {
  output: Float32Array;
  grads: (Float32Array | null)[];
  /** Extra tensors the build function asked to read (e.g. saved statistics). */
  extras: (Float32Array | Int32Array | Uint32Array)[];
}

export async function runOp(
  inputs: HarnessInput[],
  build: (g: Graph, xs: Tensor[]) => Tensor | { output: Tensor; extras: Tensor[] },
  upstream?: Float32Array,
): Promise<HarnessResult> {
  const gpu = await testGpu();
  const g = new Graph(gpu.target);
  const xs = inputs.map((inp, i) => {
    const dtype = inp.dtype ?? (inp.data instanceof Float32Array ? 'f32' : 'i32');
    if (inp.param) return g.param(inp.shape, inp.data as Float32Array, `param${i}`);
    const t = g.input(inp.shape, dtype, `x${i}`, inp.data);
    if (inp.grad ?? dtype === 'f32') g.markTrainable(t);
    return t;
  });
  const built = build(g, xs);
  const { output, extras } = 'output' in built ? built : { output: built, extras: [] };
  let seed: Tensor | undefined;
  if (upstream) {
    seed = g.input(output.shape, 'f32', 'upstream', upstream);
    g.backward(output, seed);
  }
  // Validation errors would otherwise skip the dispatch silently and read back zeros.
  const compiled = await withErrorScope(gpu.device, 'runOp', async () => {
    const c = await compileGraph(g, gpu);
    c.run(upstream ? ['forward', 'backward'] : ['forward']);
    return c;
  });
  const out = (await compiled.read(output)) as Float32Array;
  const grads = await Promise.all(
    xs.map(async (x) => (upstream && g.requiresGrad(x) ? ((await compiled.read(g.gradOf(x))) as Float32Array) : null)),
  );
  const extraData = await Promise.all(extras.map((t) => compiled.read(t)));
  compiled.destroy();
  return { output: out, grads, extras: extraData };
}
