// Which family of kernels suits an adapter: 'gpu' (workgroup-memory tiles, wide workgroups and
// trees in shared memory) or 'cpu' (barrier-free, few narrow workgroups), for CPU adapters such as
// SwiftShader, llvmpipe or lavapipe, which run a workgroup's invocations as coroutines where every
// barrier costs a switch of each invocation. The engine traces every graph for one target
// (Graph.target); both families compute the same thing and pass the same checks.
// No imports: the page (which never loads gpu/ or engine/) maps its own adapter probe with it too.

export const KERNEL_TARGETS = ['gpu', 'cpu'] as const;
export type KernelTarget = (typeof KERNEL_TARGETS)[number];

/** The fields of an adapter's info that tell a CPU implementation from a GPU. */
export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

/** What a memory plan traces: one target's kernels, or 'either', the larger of the two pool by pool. */
export type PlanningTarget = KernelTarget | 'either';

/**
 * The target to plan memory for where no device is at hand (the Runs launcher, the CLI before it
 * acquires one). Neither family keeps more scratch for every op ('gpu' has the norms' per-block
 * partial sums and wider gradient-norm partials, 'cpu' the delta rule's per-row history), so such a
 * plan traces both and takes the larger pools: it never promises less memory than a device needs.
 */
export const PLANNING_TARGET: PlanningTarget = 'either';

const CPU_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|cpu/;

/** 'cpu' for a fallback adapter or one whose info names a software rasteriser; 'gpu' otherwise. */
export function kernelTargetFor(adapter: AdapterIdentity): KernelTarget {
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`.toLowerCase();
  return adapter.isFallbackAdapter || CPU_ADAPTER.test(text) ? 'cpu' : 'gpu';
}
