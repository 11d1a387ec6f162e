// Device acquisition: finds WebGPU where the engine runs (navigator.gpu in a window or worker,
// Dawn through nodeGpu.ts in Node), asks for a high-performance adapter, checks it against
// config/gpuRequirements.ts, and requests a device with the adapter's higher limits and the optional
// features it has. Every way this can fail becomes a GpuUnavailableError whose message tells the
// user what is missing and what to do, because the UI shows that message as it is.

import { GpuUnavailableError } from './errors.ts';
import {
  BROWSER_NO_ADAPTER_ADVICE,
  limitShortfall,
  noWebGpuMessage,
  OPTIONAL_FEATURES,
  RAISED_LIMITS,
  REQUIRED_LIMITS,
  type LimitName,
} from '../config/gpuRequirements.ts';

export type GpuRuntime = 'browser' | 'worker' | 'node';

/** The adapter's identity as plain data (GPUAdapterInfo does not survive postMessage). */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  readonly subgroupMinSize: number | undefined;
  readonly subgroupMaxSize: number | undefined;
}

/** The device's limits copied into a plain object, so they can be logged and sent to the UI. */
export type GpuLimits = Readonly<Record<LimitName, number>>;

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapterInfo: AdapterSummary;
  /** The features enabled on the device, sorted. */
  readonly features: readonly string[];
  readonly limits: GpuLimits;
  readonly runtime: GpuRuntime;
}

export interface AcquireOptions {
  /** Use this WebGPU entry point instead of looking one up (tests pass fakes; benches share Dawn). */
  readonly gpu?: Pick<GPU, 'requestAdapter'>;
  /** Overrides runtime detection, which decides where WebGPU is looked up and the advice given. */
  readonly runtime?: GpuRuntime;
  /** Features without which the caller cannot run; OPTIONAL_FEATURES are added when present. */
  readonly requiredFeatures?: readonly GPUFeatureName[];
  readonly powerPreference?: GPUPowerPreference;
  readonly label?: string;
}

export async function acquireGpu(options: AcquireOptions = {}): Promise<GpuContext> {
  const runtime = options.runtime ?? detectRuntime();
  const adapter = await findAdapter(runtime, options);
  checkLimits(adapter);

  const requiredFeatures = [...(options.requiredFeatures ?? [])];
  const missing = requiredFeatures.find((feature) => !adapter.features.has(feature));
  if (missing !== undefined) {
    throw new GpuUnavailableError(
      'missing-feature',
      `The GPU lacks the WebGPU feature '${missing}' that this run needs: use a GPU and browser that support it (Chrome or Edge 113+ on desktop), or choose settings that do not need it.`,
    );
  }
  for (const feature of OPTIONAL_FEATURES) {
    if (adapter.features.has(feature) && !requiredFeatures.includes(feature)) requiredFeatures.push(feature);
  }

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: options.label ?? 'MAD Lab',
      requiredFeatures,
      requiredLimits: deviceLimits(adapter),
    });
  } catch (cause) {
    throw new GpuUnavailableError(
      'device-request-failed',
      `The GPU adapter refused to create a device (${errorText(cause)}): close other tabs or programs that use the GPU and try again, or update the GPU driver.`,
      { cause },
    );
  }
  return {
    device,
    adapterInfo: summarizeAdapter(adapter),
    features: [...device.features].sort(),
    limits: copyLimits(device.limits),
    runtime,
  };
}

export function detectRuntime(): GpuRuntime {
  if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') return 'node';
  return typeof document === 'undefined' ? 'worker' : 'browser';
}

async function findAdapter(runtime: GpuRuntime, options: AcquireOptions): Promise<GPUAdapter> {
  const request: GPURequestAdapterOptions = { powerPreference: options.powerPreference ?? 'high-performance' };
  let adapter: GPUAdapter | null;
  let tried = '';
  try {
    if (options.gpu) {
      adapter = await options.gpu.requestAdapter(request);
    } else if (runtime === 'node') {
      const { requestNodeAdapter } = await import('./nodeGpu.ts');
      const found = await requestNodeAdapter(request);
      adapter = found.adapter;
      if (found.tried.length > 0) tried = ` (tried ${found.tried.join(', then ')})`;
    } else {
      adapter = await browserGpu(runtime).requestAdapter(request);
    }
  } catch (cause) {
    if (cause instanceof GpuUnavailableError) throw cause;
    throw new GpuUnavailableError(
      'no-adapter',
      `WebGPU failed to provide a GPU adapter (${errorText(cause)}): ${noAdapterAdvice(runtime)}.`,
      { cause },
    );
  }
  if (!adapter) {
    throw new GpuUnavailableError('no-adapter', `WebGPU found no GPU adapter${tried}: ${noAdapterAdvice(runtime)}.`);
  }
  return adapter;
}

function browserGpu(runtime: GpuRuntime): GPU {
  const gpu: GPU | undefined = typeof navigator === 'undefined' ? undefined : navigator.gpu;
  if (gpu) return gpu;
  const where = runtime === 'worker' ? 'This worker' : 'This browser';
  throw new GpuUnavailableError('no-webgpu', noWebGpuMessage(where, globalThis.isSecureContext !== false));
}

function noAdapterAdvice(runtime: GpuRuntime): string {
  if (runtime !== 'node') return BROWSER_NO_ADAPTER_ADVICE;
  return process.platform === 'linux'
    ? "install your GPU's Vulkan driver, or Debian's chromium package, which ships the SwiftShader CPU driver"
    : "install or update your GPU's driver";
}

function checkLimits(adapter: GPUAdapter): void {
  const shortfall = limitShortfall(adapter.limits);
  if (shortfall !== null) throw new GpuUnavailableError('limit-too-small', shortfall);
}

// The required minimums, then the adapter's own values (already checked to be at least those) for
// the limits worth raising: asking for the adapter's value is always valid, and the defaults would
// cap the engine below the hardware.
function deviceLimits(adapter: GPUAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const { limit, min } of REQUIRED_LIMITS) limits[limit] = min;
  for (const limit of RAISED_LIMITS) limits[limit] = adapter.limits[limit];
  return limits;
}

function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  // Browsers before `GPUAdapter.info` (Chrome < 127) leave it undefined.
  const info: Partial<GPUAdapterInfo> = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? false,
    subgroupMinSize: info.subgroupMinSize,
    subgroupMaxSize: info.subgroupMaxSize,
  };
}

function copyLimits(limits: GPUSupportedLimits): GpuLimits {
  const copy: Record<string, number> = {};
  // Limits are enumerable getters on the prototype, in browsers and in Dawn alike.
  for (const name in limits) {
    const value: unknown = limits[name as keyof GPUSupportedLimits];
    if (typeof value === 'number') copy[name] = value;
  }
  return copy as GpuLimits;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
