// The page's WebGPU probe over fake navigator.gpu objects: each way a browser cannot train gives
// the trainer's sentence, and an adapter that can gives its identity (for the kernel target).

import { describe, expect, it } from 'vitest';
import { REQUIRED_LIMITS } from '../config/gpuRequirements.ts';
import { probeWebGpu } from './webGpuProbe.ts';

const roomyLimits = Object.fromEntries(REQUIRED_LIMITS.map(({ limit, min }) => [limit, min]));

function fakeGpu(adapter: Partial<GPUAdapter> | null | Error): GPU {
  const requestAdapter = () => (adapter instanceof Error ? Promise.reject(adapter) : Promise.resolve(adapter as GPUAdapter | null));
  return { requestAdapter } as unknown as GPU;
}

describe('probeWebGpu', () => {
  it('says a browser without navigator.gpu has no WebGPU', async () => {
    expect(await probeWebGpu(undefined)).toEqual({ available: false, reason: expect.stringContaining('This browser has no WebGPU') });
  });

  it('says when WebGPU gives no adapter, or fails to', async () => {
    expect(await probeWebGpu(fakeGpu(null))).toEqual({ available: false, reason: expect.stringMatching(/^WebGPU found no GPU adapter: turn on hardware acceleration/) });
    expect(await probeWebGpu(fakeGpu(new Error('blocked')))).toEqual({ available: false, reason: expect.stringContaining('WebGPU failed to provide a GPU adapter (blocked)') });
  });

  it('names the first limit below what the trainer needs', async () => {
    const limits = { ...roomyLimits, maxComputeWorkgroupStorageSize: 8192 };
    const probe = await probeWebGpu(fakeGpu({ limits: limits as unknown as GPUSupportedLimits }));
    expect(probe).toEqual({ available: false, reason: expect.stringContaining("The GPU's maxComputeWorkgroupStorageSize is 8192, MAD Lab needs 16384") });
  });

  it("gives an adapter that can train with its identity, empty where the browser has no adapter info", async () => {
    const info = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader', isFallbackAdapter: false };
    const limits = roomyLimits as unknown as GPUSupportedLimits;
    expect(await probeWebGpu(fakeGpu({ limits, info: info as GPUAdapterInfo }))).toEqual({ available: true, adapter: info });
    expect(await probeWebGpu(fakeGpu({ limits }))).toEqual({
      available: true,
      adapter: { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false },
    });
  });
});
