// GPU-versus-reference checks of AdamW over the flat parameter pool: several steps with a
// changing learning rate, weight decay and bias correction, against torch.optim.AdamW's
// documented algorithm in f64 (reference.ts).

import { compileGraph } from '../../compile.ts';
import { Graph } from '../../graph.ts';
import { testGpu } from '../../testing/gpu.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import type { Comparison, KernelCheck } from '../kernelCheck.ts';
import { adamw, type AdamWConfig } from './adamw.ts';
import { adamwInit, adamwReferenceStep } from './reference.ts';

export interface AdamWCase {
  name: string;
  sizes: number[];
  config: AdamWConfig;
  lrs: number[];
}

export const ADAMW_CASES: AdamWCase[] = [
  { name: 'wd=0.1, 5 steps, lr schedule', sizes: [15, 130, 7], config: { weightDecay: 0.1 }, lrs: [1e-2, 5e-3, 2e-2, 1e-3, 1e-2] },
  { name: 'wd=0, 3 steps', sizes: [300], config: { weightDecay: 0 }, lrs: [5e-4, 5e-4, 5e-4] },
  { name: 'wd=0.1, β2=0.98, 4 steps', sizes: [64, 1], config: { weightDecay: 0.1, beta2: 0.98 }, lrs: [1e-3, 1e-3, 1e-3, 1e-3] },
];

/**
 * Gradients of step t: mostly uniform in [−1, 1], with exact zeros, tiny values (where eps
 * dominates the denominator) and large values mixed in.
 */
export function adamwGradients(n: number, seed: number): Float32Array {
  const g = randomArray(n, seed);
  for (let i = 0; i < n; i++) {
    if (i % 11 === 3) g[i] = 0;
    else if (i % 11 === 5) g[i]! *= 1e-9;
    else if (i % 11 === 7) g[i]! *= 100;
  }
  return Float32Array.from(g);
}

export interface AdamWRun {
  /** After each step: every parameter concatenated, then m and v (parameters only, no padding). */
  params: Float32Array[];
  m: Float32Array;
  v: Float32Array;
  /** The whole param pool after the last step (padding included). */
  pool: Float32Array;
  expected: { params: Float64Array[]; m: Float64Array; v: Float64Array };
}

function concat(parts: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(Array.from(p), at);
    at += p.length;
  }
  return out;
}

export async function runAdamW(c: AdamWCase, seed: number): Promise<AdamWRun> {
  const gpu = await testGpu();
  const g = new Graph(gpu.target);
  const initial = c.sizes.map((n, i) => asF32(randomArray(n, seed + i)));
  const params = c.sizes.map((n, i) => g.param([n], initial[i]!.f32, `p${i}`));
  const opt = adamw(g, c.config);
  const compiled = await compileGraph(g, gpu);

  const ref = adamwInit(concat(initial.map((x) => x.f64)));
  const refConfig = { beta1: opt.config.beta1, beta2: opt.config.beta2, eps: opt.config.eps, weightDecay: opt.config.weightDecay };
  const out: AdamWRun = { params: [], m: new Float32Array(), v: new Float32Array(), pool: new Float32Array(), expected: { params: [], m: ref.m, v: ref.v } };
  for (let t = 1; t <= c.lrs.length; t++) {
    const grads = params.map((p, i) => {
      const data = adamwGradients(p.size, seed + 100 * t + i);
      compiled.write(g.gradOf(p), data);
      return data;
    });
    compiled.writeStepUniform(opt.stepUniform(c.lrs[t - 1]!, t));
    compiled.run(['update']);
    adamwReferenceStep(ref, concat(grads), t, { ...refConfig, lr: c.lrs[t - 1]! });
    out.params.push(concat(await Promise.all(params.map((p) => compiled.read(p)))));
    out.expected.params.push(Float64Array.from(ref.param));
  }
  // m and v mirror the param pool: read each parameter's slice at its offset.
  const [mPool, vPool] = (await Promise.all([compiled.read(opt.m), compiled.read(opt.v)])) as Float32Array[];
  const slices = (pool: Float32Array) => concat(params.map((p) => pool.subarray(p.offset / 4, p.offset / 4 + p.size)));
  out.m = slices(mPool!);
  out.v = slices(vPool!);
  out.pool = (await compiled.read(g.poolView('param'))) as Float32Array;
  compiled.destroy();
  return out;
}

export const adamwChecks: KernelCheck[] = ADAMW_CASES.map((c, i) => ({
  name: `adamw ${c.name}`,
  // Parameters are O(1) and move by O(lr) per step; every f32 operation adds ≤ 1 ulp (6e-8)
  // relative. m and v reach O(10) with the ×100 gradients.
  tolerance: { atol: 1e-6, rtol: 1e-6 },
  async run() {
    const r = await runAdamW(c, 1000 * (i + 1));
    const comparisons: Comparison[] = r.params.map((p, t) => ({ what: `update param after step ${t + 1}`, actual: p, expected: r.expected.params[t]! }));
    comparisons.push({ what: 'update m', actual: r.m, expected: r.expected.m });
    comparisons.push({ what: 'update v', actual: r.v, expected: r.expected.v });
    return comparisons;
  },
}));
