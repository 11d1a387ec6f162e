// GPU-versus-reference checks of the global gradient norm over the paramGrad pool.

import { compileGraph } from '../../compile.ts';
import { Graph } from '../../graph.ts';
import { testGpu } from '../../testing/gpu.ts';
import { asF32, randomArray } from '../../testing/random.ts';
import type { KernelCheck } from '../kernelCheck.ts';
import { KERNEL_TARGETS, type KernelTarget } from '../../../config/kernelTarget.ts';
import { gradNorm } from './gradNorm.ts';
import { gradNormReference } from './reference.ts';

export interface GradNormCase {
  name: string;
  /** Parameter sizes (odd, so the pool has alignment padding between them). */
  sizes: number[];
  maxGroups?: number;
  scale: number;
}

export const GRAD_NORM_CASES: GradNormCase[] = [
  { name: 'params 15+130+7', sizes: [15, 130, 7], scale: 1 },
  { name: 'params 5000+333+70001 (67 workgroups on GPUs, 8 on CPUs)', sizes: [5000, 333, 70001], scale: 1 },
  { name: 'params 5000+333+70001, 3 workgroups (grid-stride)', sizes: [5000, 333, 70001], maxGroups: 3, scale: 1 },
  { name: 'params 100+9 tiny gradients', sizes: [100, 9], scale: 1e-12 },
];

export async function runGradNorm(c: GradNormCase, seed: number, layout?: KernelTarget): Promise<{ norm: number; grads: Float64Array[] }> {
  const gpu = await testGpu();
  const g = new Graph(gpu.target);
  const params = c.sizes.map((n, i) => g.param([n], new Float32Array(n), `p${i}`));
  const norm = gradNorm(g, { maxGroups: c.maxGroups, layout });
  const compiled = await compileGraph(g, gpu);
  const grads = params.map((p, i) => {
    const data = asF32(randomArray(p.size, seed + i, -c.scale, c.scale));
    compiled.write(g.gradOf(p), data.f32);
    return data.f64;
  });
  compiled.run(['update']);
  const result = (await compiled.read(norm))[0]!;
  compiled.destroy();
  return { norm: result, grads };
}

/** Every case with both workgroup layouts (wide for GPUs, narrow for CPU adapters). */
export const gradNormChecks: KernelCheck[] = KERNEL_TARGETS.flatMap((layout) =>
  GRAD_NORM_CASES.map((c, i) => ({
    name: `grad norm (${layout} layout) ${c.name}`,
    // f32 sums of ≤ 1,200 squares per invocation, then trees: ~1e-7 relative.
    tolerance: { atol: 0, rtol: 2e-6 },
    async run() {
      const { norm, grads } = await runGradNorm(c, 50 + 10 * i, layout);
      return [{ what: 'forward norm', actual: [norm], expected: [gradNormReference(grads)] }];
    },
  })),
);
