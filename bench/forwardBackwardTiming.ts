// Times one traced graph's forward + backward as the layer benchmarks do: the output is seeded with a
// random upstream gradient, the graph compiled, and each call is one submit (gradient clear,
// forward, backward) timed by wall clock after a warm-up.

import { timeSubmits } from '../src/gpu/timing.ts';
import { compileGraph, type EngineGpu } from '../src/engine/compile.ts';
import type { Graph } from '../src/engine/graph.ts';
import type { Tensor } from '../src/engine/tensor.ts';
import { Prng } from '../src/tasks/prng.ts';

/** Uniform values in [-1, 1), seeded. */
export function randomData(n: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rng.random() - 1;
  return out;
}

export interface ForwardBackwardTiming {
  msPerCall: number;
  /** Dispatches per call, forward and backward. */
  dispatches: number;
  /** The tensors asked for in `read`, as the last timed call left them. */
  values: Float32Array[];
}

export async function timeForwardBackward(gpu: EngineGpu, g: Graph, output: Tensor, reps: number, read: readonly Tensor[] = []): Promise<ForwardBackwardTiming> {
  g.backward(output, g.input(output.shape, 'f32', 'upstream', randomData(output.size, 3)));
  const compiled = await compileGraph(g, gpu);
  const timing = await timeSubmits(
    gpu.device,
    (encoder) => {
      compiled.encodeGradientClear(encoder);
      compiled.encodePhases(encoder, ['forward', 'backward']);
    },
    reps,
  );
  const values = await Promise.all(read.map(async (t) => (await compiled.read(t)) as Float32Array));
  compiled.destroy();
  return { msPerCall: timing.msPerSubmit, dispatches: g.launches.length, values };
}
