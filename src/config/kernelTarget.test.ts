// The adapter → kernel target rule: CPU implementations (by name, or the fallback adapter) get the
// 'cpu' kernels, every other adapter the 'gpu' ones.
import { describe, expect, it } from 'vitest';
import { kernelTargetFor } from './kernelTarget.ts';

describe('kernelTargetFor', () => {
  it("picks 'cpu' for SwiftShader, llvmpipe and any fallback adapter, 'gpu' elsewhere", () => {
    const base = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false };
    expect(kernelTargetFor({ ...base, vendor: 'google', architecture: 'swiftshader' })).toBe('cpu');
    expect(kernelTargetFor({ ...base, description: 'llvmpipe (LLVM 15.0.7, 256 bits)' })).toBe('cpu');
    expect(kernelTargetFor({ ...base, device: 'Lavapipe' })).toBe('cpu');
    expect(kernelTargetFor({ ...base, isFallbackAdapter: true })).toBe('cpu');
    expect(kernelTargetFor({ ...base, vendor: 'nvidia', architecture: 'hopper' })).toBe('gpu');
    expect(kernelTargetFor({ ...base, vendor: 'apple', architecture: 'metal-3' })).toBe('gpu');
  });
});
