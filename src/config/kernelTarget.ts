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

/**
 * The target to plan memory for where no device is at hand (the Runs launcher, the CLI before it
 * acquires one): its kernels keep more scratch (the norms' per-block partial sums, wider
 * gradient-norm partials), so such a plan never promises less memory than a device will need.
 */
export const PLANNING_TARGET: KernelTarget = 'gpu';

const CPU_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|cpu/;

/** 'cpu' for a fallback adapter or one whose info names a software rasteriser; 'gpu' otherwise. */
export function kernelTargetFor(adapter: AdapterIdentity): KernelTarget {
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.device} ${adapter.description}`.toLowerCase();
  return adapter.isFallbackAdapter || CPU_ADAPTER.test(text) ? 'cpu' : 'gpu';
}
