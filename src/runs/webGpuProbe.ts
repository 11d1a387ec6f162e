// Whether this browser can train, asked on the page without creating a device: WebGPU present, an
// adapter, and that adapter's limits against the minimums the trainer's device needs
// (config/gpuRequirements.ts, the list and the sentences gpu/device.ts uses). The training worker
// makes the full check, device included, when it acquires its own device.

import type { AdapterIdentity } from '../config/kernelTarget.ts';
import { BROWSER_NO_ADAPTER_ADVICE, limitShortfall, noWebGpuMessage } from '../config/gpuRequirements.ts';

export type WebGpuProbe = { available: true; adapter: AdapterIdentity } | { available: false; reason: string };

/** `gpu`: the page's navigator.gpu (undefined where the browser has none or hides it). */
export async function probeWebGpu(gpu: GPU | undefined = typeof navigator === 'undefined' ? undefined : navigator.gpu): Promise<WebGpuProbe> {
  if (!gpu) return { available: false, reason: noWebGpuMessage('This browser', globalThis.isSecureContext !== false) };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (cause) {
    return { available: false, reason: `WebGPU failed to provide a GPU adapter (${cause instanceof Error ? cause.message : String(cause)}): ${BROWSER_NO_ADAPTER_ADVICE}.` };
  }
  if (!adapter) return { available: false, reason: `WebGPU found no GPU adapter: ${BROWSER_NO_ADAPTER_ADVICE}.` };
  const shortfall = limitShortfall(adapter.limits);
  if (shortfall !== null) return { available: false, reason: shortfall };
  // Browsers before `GPUAdapter.info` (Chrome < 127) leave it undefined.
  const info: Partial<GPUAdapterInfo> = adapter.info ?? {};
  return {
    available: true,
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
      isFallbackAdapter: info.isFallbackAdapter ?? false,
    },
  };
}
