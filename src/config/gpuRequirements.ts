// What MAD Lab needs from a GPU, in one place: the minimum limits with the reason each exists (the
// reason is quoted in the error a user sees), the limits we raise to the adapter's maximum because
// WebGPU's defaults are lower than most hardware, and the optional features we switch on when the
// adapter has them. The minimums equal WebGPU's core defaults, so any core adapter passes; they
// exist to reject compatibility-mode and other reduced adapters with a readable message.
// Plain data and sentences, no GPU object: the trainer's device (gpu/device.ts) and the page's
// probe (runs/webGpuProbe.ts) check an adapter against the same list and say the same thing.

/** Names of the numeric limits every implementation reports (optional, newer ones excluded). */
export type LimitName = {
  [K in keyof GPUSupportedLimits]-?: GPUSupportedLimits[K] extends number ? K : never;
}[keyof GPUSupportedLimits];

/** A minimum for a `max*` limit and why the engine needs it. */
export interface LimitRequirement {
  readonly limit: LimitName;
  readonly min: number;
  readonly reason: string;
}

export const REQUIRED_LIMITS: readonly LimitRequirement[] = [
  {
    limit: 'maxStorageBuffersPerShaderStage',
    min: 8,
    reason: 'fused kernels such as attention backward and the scans bind up to 8 tensors at once',
  },
  {
    limit: 'maxComputeWorkgroupStorageSize',
    min: 16384,
    reason: 'tiled matmuls and reductions stage 16 KiB tiles in workgroup memory',
  },
  {
    limit: 'maxComputeInvocationsPerWorkgroup',
    min: 256,
    reason: 'elementwise and reduction kernels run 256 invocations per workgroup',
  },
  {
    limit: 'maxComputeWorkgroupSizeX',
    min: 256,
    reason: 'elementwise and reduction kernels use a 256-wide workgroup',
  },
  {
    limit: 'maxComputeWorkgroupsPerDimension',
    min: 65535,
    reason: 'one-dimensional dispatches cover batch × length × width elements',
  },
  {
    limit: 'maxStorageBufferBindingSize',
    min: 128 * 1024 * 1024,
    reason: 'each memory pool (weights, activations, gradients…) is bound whole, up to 128 MiB',
  },
  {
    limit: 'maxBufferSize',
    min: 128 * 1024 * 1024,
    reason: 'each memory pool (weights, activations, gradients…) is one buffer of up to 128 MiB',
  },
];

/** Limits requested at the adapter's value: the device defaults are lower than most GPUs offer. */
export const RAISED_LIMITS: readonly LimitName[] = [
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
];

/** Enabled when present, never required: kernels keep a path that works without them. */
export const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'subgroups'];

/** Why an adapter with these limits cannot train (the first limit below its minimum), or null. */
export function limitShortfall(limits: Readonly<Record<LimitName, number>>): string | null {
  for (const { limit, min, reason } of REQUIRED_LIMITS) {
    const value = limits[limit];
    if (value < min) {
      return `The GPU's ${limit} is ${value}, MAD Lab needs ${min} because ${reason}: use a desktop GPU with a current Chrome or Edge (reduced "compatibility" adapters are too small).`;
    }
  }
  return null;
}

/** Why a page or worker without navigator.gpu cannot train; browsers hide it on insecure origins, which looks like a missing implementation. */
export function noWebGpuMessage(where: 'This browser' | 'This worker', secureContext: boolean): string {
  return secureContext
    ? `${where} has no WebGPU (navigator.gpu is undefined): use Chrome or Edge 113+ on desktop, or enable WebGPU in your browser's flags.`
    : `${where} hides WebGPU because the page is not a secure context: open MAD Lab over https or from http://localhost.`;
}

/** What to do when a browser's WebGPU gives no adapter. */
export const BROWSER_NO_ADAPTER_ADVICE =
  'turn on hardware acceleration in the browser settings, update the GPU driver, and look at chrome://gpu for the WebGPU status';
