// Readback on a real device: a round trip through a copy recorded in the caller's encoder, two
// copies in flight at once (each seeing the data of its own submit), the guards, and no GPU
// allocation after construction.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu, type GpuContext } from './device.ts';
import { Readback } from './readback.ts';
import { createBuffer, gpuStats, submit } from './stats.ts';

let gpu: GpuContext;
let source: GPUBuffer;
beforeAll(async () => {
  gpu = await acquireGpu({ label: 'readback test' });
  source = createBuffer(gpu.device, {
    label: 'source',
    size: 1024,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
});
afterAll(() => gpu.device.destroy());

/** One "training step": new data in the source, a copy recorded in this step's encoder, one submit. */
function step(readback: Readback, data: Float32Array<ArrayBuffer>, offset = 0): void {
  gpu.device.queue.writeBuffer(source, offset, data);
  const encoder = gpu.device.createCommandEncoder();
  readback.encodeCopy(encoder, source, offset, data.byteLength);
  submit(gpu.device, [encoder.finish()]);
}

describe('Readback', () => {
  it('returns what was written, through a copy in the caller encoder', async () => {
    const readback = new Readback(gpu.device, 256);
    const data = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
    step(readback, data, 512);
    expect(await readback.collect('f32')).toEqual(data);
    step(readback, new Float32Array([1, 2]));
    expect([...(await readback.collect('u32'))]).toEqual([0x3f800000, 0x40000000]);
    readback.destroy();
  });

  it('keeps two copies in flight and resolves them in order, allocating nothing', async () => {
    const readback = new Readback(gpu.device, 16);
    const before = gpuStats(gpu.device);
    step(readback, new Float32Array([1, 1, 1, 1]));
    const first = readback.collect('f32');
    // The next step overwrites the source: queue order guarantees the first copy saw the old data.
    step(readback, new Float32Array([2, 2, 2, 2]));
    const second = readback.collect('f32');
    expect(readback.inFlight).toBe(2);
    expect(() => readback.encodeCopy(gpu.device.createCommandEncoder(), source, 0, 16)).toThrow(/both staging buffers/);
    expect([...(await first)]).toEqual([1, 1, 1, 1]);
    step(readback, new Float32Array([3, 3, 3, 3]));
    expect([...(await second)]).toEqual([2, 2, 2, 2]);
    expect([...(await readback.collect('f32'))]).toEqual([3, 3, 3, 3]);
    expect(readback.inFlight).toBe(0);
    const after = gpuStats(gpu.device);
    expect(after.buffersCreated).toBe(before.buffersCreated);
    expect(after.submits - before.submits).toBe(3);
    readback.destroy();
  });

  it('refuses to map before the copy was submitted, and bad sizes', async () => {
    const readback = new Readback(gpu.device, 16);
    await expect(readback.collect('f32')).rejects.toThrow(/no copy was recorded/);
    const encoder = gpu.device.createCommandEncoder();
    readback.encodeCopy(encoder, source, 0, 16);
    await expect(readback.collect('f32')).rejects.toThrow(/has not been submitted/);
    submit(gpu.device, [encoder.finish()]);
    expect((await readback.collect('f32')).length).toBe(4);
    expect(() => readback.encodeCopy(encoder, source, 0, 32)).toThrow(RangeError);
    expect(() => readback.encodeCopy(encoder, source, 2, 8)).toThrow(RangeError);
    expect(() => new Readback(gpu.device, 6)).toThrow(RangeError);
    readback.destroy();
  });
});
