// Vitest glue: one test per KernelCheck, printing each comparison's largest difference.

import { expect, it } from 'vitest';
import { formatOutcome, runKernelCheck, type KernelCheck } from '../ops/kernelCheck.ts';

export function itPassesKernelChecks(checks: readonly KernelCheck[]): void {
  for (const check of checks) {
    it(`GPU matches reference: ${check.name}`, async () => {
      const outcomes = await runKernelCheck(check);
      for (const o of outcomes) console.log(formatOutcome(o));
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.filter((o) => !o.ok).map(formatOutcome)).toEqual([]);
    });
  }
}
