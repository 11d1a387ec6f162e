// Global gradient norm √(Σ g²) over the whole flat paramGrad pool: a metric of training, as a
// deterministic two-stage reduction (a fixed number of workgroup partials, then one workgroup).
// Recorded in phase 'update', after the backward, so evaluation-only runs skip it. Not
// differentiable (nothing trains through it), so it has no backward.

import type { KernelTarget } from '../../../config/kernelTarget.ts';
import { bind, type Graph } from '../../graph.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const GRAD_NORM_SHADERS = ['optim/grad_norm_partial.wgsl', 'optim/grad_norm_final.wgsl'] as const;

/**
 * Workgroup size and default cap on stage-1 workgroups (each then loops over a grid-stride share).
 * GPUs get many wide workgroups. CPU adapters (target 'cpu', as for
 * attention and the norms) run workgroups as coroutines and pay for each of the tree's barriers
 * in every invocation: a few narrow workgroups with long loops cost a fraction of the time there
 * (the wide layout took ~8 % of a small model's training step on SwiftShader).
 */
const LAYOUTS: Record<KernelTarget, { workgroup: number; maxGroups: number }> = {
  gpu: { workgroup: 256, maxGroups: 256 },
  cpu: { workgroup: 64, maxGroups: 8 },
};

export interface GradNormOptions {
  /** Stage-1 workgroups at most (tests lower it to exercise the grid-stride loop). */
  maxGroups?: number;
  /** Default: the graph's target. */
  layout?: KernelTarget;
}

/** [1] f32: the L2 norm of every parameter gradient together (as torch's clip_grad_norm_ reports). */
export function gradNorm(g: Graph, options: GradNormOptions = {}): Tensor {
  const layout = LAYOUTS[options.layout ?? g.target];
  const maxGroups = options.maxGroups ?? layout.maxGroups;
  const grad = g.poolView('paramGrad');
  const n4 = grad.size / 4;
  if (!Number.isInteger(n4)) throw new Error(`gradNorm: paramGrad pool of ${grad.size} floats is not a multiple of 4`);
  const groups = Math.max(1, Math.min(maxGroups, 65535, Math.ceil(n4 / layout.workgroup)));
  const partials = g.tensor([groups], 'f32', 'gradNorm.partials');
  const norm = g.tensor([1], 'f32', 'gradNorm');
  g.inPhase('update', () => {
    g.launch({
      label: 'grad norm partials',
      source: shaderSource(GRAD_NORM_SHADERS[0]),
      entryPoint: 'main',
      constants: { WG: layout.workgroup },
      bindings: [
        bind(grad),
        bind(partials),
        {
          kind: 'uniform',
          data: packUniform([
            ['u32', n4],
            ['u32', groups],
          ]),
        },
      ],
      workgroups: [groups, 1, 1],
    });
    g.launch({
      label: 'grad norm final',
      source: shaderSource(GRAD_NORM_SHADERS[1]),
      entryPoint: 'main',
      constants: { WG: layout.workgroup },
      bindings: [bind(partials), bind(norm), { kind: 'uniform', data: packUniform([['u32', groups]]) }],
      workgroups: [1, 1, 1],
    });
  });
  return norm;
}
