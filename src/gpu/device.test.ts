// Acquisition on the real Dawn adapter (SwiftShader on machines without a GPU), and every refusal
// path on structural stubs of GPU and GPUAdapter, checking kind and the advice in the message.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireGpu } from './device.ts';
import { GpuUnavailableError, type GpuUnavailableKind } from './errors.ts';
import { REQUIRED_LIMITS } from '../config/gpuRequirements.ts';

interface StubAdapter {
  limits: Record<string, number>;
  features: Set<string>;
  info: Partial<GPUAdapterInfo>;
  requestDevice(descriptor: GPUDeviceDescriptor): Promise<GPUDevice>;
}

function stubAdapter(limits: Record<string, number> = {}, features: string[] = []): StubAdapter {
  const minimums = Object.fromEntries(REQUIRED_LIMITS.map((r) => [r.limit, r.min]));
  return {
    limits: { ...minimums, ...limits },
    features: new Set(features),
    info: { vendor: 'stub', architecture: 'none', description: 'stub adapter' },
    requestDevice: () => Promise.reject(new Error('stub adapter has no devices')),
  };
}

function stubGpu(adapter: StubAdapter | null): Pick<GPU, 'requestAdapter'> {
  return { requestAdapter: () => Promise.resolve(adapter as unknown as GPUAdapter | null) };
}

async function refusal(promise: Promise<unknown>, kind: GpuUnavailableKind): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GpuUnavailableError);
  expect((error as GpuUnavailableError).kind).toBe(kind);
  return (error as GpuUnavailableError).message;
}

describe('acquireGpu on the real adapter', () => {
  it('returns a device with adapter info, raised limits and the optional features', async () => {
    const gpu = await acquireGpu();
    try {
      expect(gpu.runtime).toBe('node');
      expect(gpu.adapterInfo.vendor.length + gpu.adapterInfo.description.length).toBeGreaterThan(0);
      for (const { limit, min } of REQUIRED_LIMITS) expect(gpu.limits[limit]).toBeGreaterThanOrEqual(min);
      expect(gpu.limits.maxStorageBuffersPerShaderStage).toBe(gpu.device.limits.maxStorageBuffersPerShaderStage);
      expect(gpu.features).toEqual([...gpu.device.features].sort());
      console.log(
        `adapter ${gpu.adapterInfo.vendor} / ${gpu.adapterInfo.architecture} (${gpu.adapterInfo.description}); ` +
          `storage buffers/stage ${gpu.limits.maxStorageBuffersPerShaderStage}, ` +
          `workgroup storage ${gpu.limits.maxComputeWorkgroupStorageSize}, ` +
          `max binding ${gpu.limits.maxStorageBufferBindingSize}; features ${gpu.features.join(' ')}`,
      );
    } finally {
      gpu.device.destroy();
    }
  });
});

describe('acquireGpu refusals', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('says which browsers to use when navigator.gpu is missing', async () => {
    vi.stubGlobal('navigator', {});
    const message = await refusal(acquireGpu({ runtime: 'browser' }), 'no-webgpu');
    expect(message).toBe(
      "This browser has no WebGPU (navigator.gpu is undefined): use Chrome or Edge 113+ on desktop, or enable WebGPU in your browser's flags.",
    );
  });

  it('points at https when the page is not a secure context', async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('isSecureContext', false);
    const message = await refusal(acquireGpu({ runtime: 'worker' }), 'no-webgpu');
    expect(message).toMatch(/^This worker hides WebGPU .* open MAD Lab over https/);
  });

  it('explains a missing adapter', async () => {
    const message = await refusal(acquireGpu({ gpu: stubGpu(null), runtime: 'browser' }), 'no-adapter');
    expect(message).toMatch(/^WebGPU found no GPU adapter: turn on hardware acceleration .*chrome:\/\/gpu/);
  });

  it('names the limit, its value, the minimum and the reason', async () => {
    const adapter = stubAdapter({ maxStorageBuffersPerShaderStage: 4 });
    const message = await refusal(acquireGpu({ gpu: stubGpu(adapter) }), 'limit-too-small');
    expect(message).toMatch(
      /^The GPU's maxStorageBuffersPerShaderStage is 4, MAD Lab needs 8 because fused kernels .*: use a desktop GPU/,
    );
  });

  it('names a missing required feature', async () => {
    const acquisition = acquireGpu({ gpu: stubGpu(stubAdapter()), requiredFeatures: ['shader-f16'] });
    const message = await refusal(acquisition, 'missing-feature');
    expect(message).toMatch(/lacks the WebGPU feature 'shader-f16'/);
  });

  it('requests raised limits and optional features, and reports a refused device', async () => {
    const adapter = stubAdapter({ maxStorageBuffersPerShaderStage: 12, maxBufferSize: 2 ** 30 }, ['timestamp-query']);
    let requested: GPUDeviceDescriptor | undefined;
    adapter.requestDevice = (descriptor) => {
      requested = descriptor;
      return Promise.reject(new Error('out of device slots'));
    };
    const message = await refusal(acquireGpu({ gpu: stubGpu(adapter) }), 'device-request-failed');
    expect(message).toMatch(/refused to create a device \(out of device slots\)/);
    expect(requested?.requiredFeatures).toEqual(['timestamp-query']);
    expect(requested?.requiredLimits).toMatchObject({ maxStorageBuffersPerShaderStage: 12, maxBufferSize: 2 ** 30 });
  });
});
