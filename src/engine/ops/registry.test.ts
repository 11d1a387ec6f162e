import { describe, expect, it } from 'vitest';
import { shaderSource } from '../shaderSource.ts';
import { testGpu } from '../testing/gpu.ts';
import { OPS, type OpEntry } from './registry.ts';

describe('op registry', () => {
  const entries = Object.entries(OPS) as [string, OpEntry][];

  for (const [name, entry] of entries) {
    it(`${name}: has forward and backward shaders that compile`, async () => {
      expect(entry.forward.length).toBeGreaterThan(0);
      expect(entry.backward.length).toBeGreaterThan(0);
      const { device } = await testGpu();
      for (const path of [...entry.forward, ...entry.backward]) {
        const module = device.createShaderModule({ code: shaderSource(path), label: path });
        const info = await module.getCompilationInfo();
        const errors = info.messages.filter((m) => m.type === 'error').map((m) => `${path}:${m.lineNum}: ${m.message}`);
        expect(errors).toEqual([]);
      }
    });

    it(`${name}: its checks compare forward and backward results`, async () => {
      expect(entry.checks.length).toBeGreaterThan(0);
      const names = new Set<string>();
      for (const check of entry.checks) {
        expect(names.has(check.name), `duplicate check name ${check.name}`).toBe(false);
        names.add(check.name);
      }
      // Running one check proves it reports both directions; the op's own test file runs them all.
      const comparisons = await entry.checks[0]!.run();
      expect(comparisons.some((c) => c.what.startsWith('forward'))).toBe(true);
      expect(comparisons.some((c) => c.what.startsWith('backward'))).toBe(true);
    });
  }
});
