// The benchmark's naive recurrences compute what the fused kernels compute: at tiny sizes, the
// naive graph's forward output against the fused op's on the same inputs (the same comparison the
// benchmark prints at the layers' sizes).

import { describe, expect, it } from 'vitest';
import { testGpu } from '../src/engine/testing/gpu.ts';
import { RECURRENCE_AGREEMENT, compareRecurrence, type RecurrenceSizes } from './recurrenceComparison.ts';

const TINY: [string, RecurrenceSizes][] = [
  ['delta-net', { op: 'deltaRule', gated: false, heads: 2, dk: 3, dv: 4 }],
  ['gated-delta-net', { op: 'deltaRule', gated: true, heads: 2, dk: 4, dv: 3 }],
  ['mamba2', { op: 'mamba2Scan', heads: 2, headdim: 3, state: 4, groups: 1 }],
];

describe('fused vs naive recurrences', () => {
  for (const [layer, sizes] of TINY) {
    it(`${layer}: the naive graph's forward matches the fused op's (B 2, T 5)`, async () => {
      const r = await compareRecurrence(await testGpu(), layer, sizes, 2, 5, 1);
      console.log(`${layer} naive vs fused forward: max |diff| ${r.maxAbsDiff.toExponential(2)} (tolerance ${RECURRENCE_AGREEMENT.atol} + ${RECURRENCE_AGREEMENT.rtol}·|fused|); dispatches ${r.fusedDispatches} / ${r.naiveDispatches}`);
      expect(r.agrees).toBe(true);
      expect(r.naiveDispatches).toBeGreaterThan(r.fusedDispatches);
    });
  }
});
