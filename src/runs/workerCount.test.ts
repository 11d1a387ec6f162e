import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, ROOMY_BINDING_BYTES, trainingWorkerCount, type AdapterRoom } from './workerCount.ts';

const gpu: AdapterRoom = { description: 'nvidia ampere', isFallbackAdapter: false, maxStorageBufferBindingSize: 2 * ROOMY_BINDING_BYTES };

describe('trainingWorkerCount', () => {
  it('gives real GPUs one worker per two spare cores, capped', () => {
    expect(trainingWorkerCount(2, gpu)).toBe(1);
    expect(trainingWorkerCount(5, gpu)).toBe(2);
    expect(trainingWorkerCount(8, gpu)).toBe(3);
    expect(trainingWorkerCount(64, gpu)).toBe(MAX_WORKERS);
  });

  it('gives CPU adapters, small adapters and unknown adapters one worker', () => {
    expect(trainingWorkerCount(16, { ...gpu, description: 'google swiftshader' })).toBe(1);
    expect(trainingWorkerCount(16, { ...gpu, description: 'mesa llvmpipe' })).toBe(1);
    expect(trainingWorkerCount(16, { ...gpu, isFallbackAdapter: true })).toBe(1);
    expect(trainingWorkerCount(16, { ...gpu, maxStorageBufferBindingSize: 128 << 20 })).toBe(1);
    expect(trainingWorkerCount(16, null)).toBe(1);
  });
});
