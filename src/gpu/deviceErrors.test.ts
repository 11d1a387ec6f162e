// Device problems in readable form, on a real device: error scopes around bad work, uncaptured
// errors reaching the watcher, device loss (through destroy), and unwatching.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from './device.ts';
import { watchDevice, withErrorScope, type DeviceProblem } from './deviceErrors.ts';
import { GpuCommandError, GpuUnavailableError } from './errors.ts';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireGpu({ label: 'errors test' });
});
afterAll(() => gpu.device.destroy());

// MAP_READ may only be combined with COPY_DST: a validation error on every implementation. A
// function, because in Node GPUBufferUsage exists only once acquireGpu has loaded Dawn.
function createInvalidBuffer(device: GPUDevice): void {
  device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
}

function nextProblem(device: GPUDevice): { problem: Promise<DeviceProblem>; stop: () => void } {
  let stop = (): void => {};
  const problem = new Promise<DeviceProblem>((resolve) => {
    stop = watchDevice(device, resolve);
  });
  return { problem, stop };
}

describe('withErrorScope', () => {
  it('returns the result of valid work', async () => {
    expect(await withErrorScope(gpu.device, 'valid work', () => 42)).toBe(42);
  });

  it('throws a GpuCommandError naming the work', async () => {
    const error: unknown = await withErrorScope(gpu.device, 'create the staging buffer', () =>
      createInvalidBuffer(gpu.device),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GpuCommandError);
    expect((error as GpuCommandError).errorType).toBe('validation');
    expect((error as GpuCommandError).message).toMatch(/^WebGPU validation error in create the staging buffer: .*usage/is);
  });

  it('rethrows a JS error of the work when the GPU reported nothing', async () => {
    await expect(
      withErrorScope(gpu.device, 'failing work', () => {
        throw new TypeError('bad shape');
      }),
    ).rejects.toThrow(TypeError);
    // The scopes were popped: a later scope sees only its own errors.
    expect(await withErrorScope(gpu.device, 'clean work', () => 'ok')).toBe('ok');
  });
});

describe('watchDevice', () => {
  it('reports uncaptured errors until unwatched', async () => {
    const { problem, stop } = nextProblem(gpu.device);
    createInvalidBuffer(gpu.device);
    const error = await problem;
    stop();
    expect(error).toBeInstanceOf(GpuCommandError);
    expect(error.message).toMatch(/^WebGPU validation error in device "errors test": /);

    let calls = 0;
    const unwatch = watchDevice(gpu.device, () => (calls += 1));
    unwatch();
    await withErrorScope(gpu.device, 'flush', () => undefined);
    expect(calls).toBe(0);
  });

  it('reports a lost device with its reason', async () => {
    const other = await acquireGpu({ label: 'doomed' });
    const { problem } = nextProblem(other.device);
    other.device.destroy();
    const error = await problem;
    expect(error).toBeInstanceOf(GpuUnavailableError);
    expect((error as GpuUnavailableError).kind).toBe('device-lost');
    expect(error.message).toMatch(/^The GPU device "doomed" was lost \(destroyed: .*\): it was destroyed on purpose/);
  });
});
