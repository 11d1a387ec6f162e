import { describe, expect, it } from 'vitest';
import { shaderSource } from '../shaderSource.ts';
import { testGpu } from '../testing/gpu.ts';
import { OPS, UPDATE_KERNELS, allKernelChecks, type OpEntry, type UpdateKernelEntry } from './registry.ts';

async function expectShadersCompile(paths: readonly string[]): Promise<void> {
  const { device } = await testGpu();
  for (const path of paths) {
    const module = device.createShaderModule({ code: shaderSource(path), label: path });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error').map((m) => `${path}:${m.lineNum}: ${m.message}`);
    expect(errors).toEqual([]);
  }
}

describe('op registry', () => {
  const entries = Object.entries(OPS) as [string, OpEntry][];

  it('check names are unique across all kernels (selftest lists them by name)', () => {
    const names = allKernelChecks().map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const [name, entry] of Object.entries(UPDATE_KERNELS) as [string, UpdateKernelEntry][]) {
    it(`${name} (update kernel): shaders compile and checks exist`, async () => {
      expect(entry.shaders.length).toBeGreaterThan(0);
      expect(entry.checks.length).toBeGreaterThan(0);
      await expectShadersCompile(entry.shaders);
    });
  }

  for (const [name, entry] of entries) {
    it(`${name}: has forward and backward shaders that compile`, async () => {
      expect(entry.forward.length).toBeGreaterThan(0);
      expect(entry.backward.length).toBeGreaterThan(0);
      await expectShadersCompile([...entry.forward, ...entry.backward]);
    });

    it(`${name}: its checks compare forward and backward results`, async () => {
      expect(entry.checks.length).toBeGreaterThan(0);
      // Running one check proves it reports both directions; the op's own test file runs them all.
      const comparisons = await entry.checks[0]!.run();
      expect(comparisons.some((c) => c.what.startsWith('forward'))).toBe(true);
      expect(comparisons.some((c) => c.what.startsWith('backward'))).toBe(true);
    });
  }
});
