import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { rotaryChecks } from './checks.ts';
import { rotaryBackwardReference, rotaryForwardReference } from './reference.ts';
import { rotary, rotaryTable } from './rotary.ts';

describe('rotary', () => {
  it('reference backward matches finite differences', () => {
    const s = { batch: 2, time: 4, heads: 2, headDim: 6, base: 10000 };
    const x = randomArray(2 * 4 * 2 * 6, 1);
    const dy = randomArray(x.length, 2);
    const analytic = rotaryBackwardReference(dy, s);
    const result = gradcheck((xs) => rotaryForwardReference(xs[0]!, s), [x], dy, [analytic], [0]);
    expect(result.maxAbsDiff).toBeLessThan(1e-8);
  });

  it('reference follows docs/protocol.md: position 0 is the identity, NeoX halves pair j with j + d/2', () => {
    const s = { batch: 1, time: 2, heads: 1, headDim: 4, base: 10000 };
    // t = 0 unchanged; t = 1: j = 0 rotates (x0, x2) by 1 rad, j = 1 rotates (x1, x3) by 0.01 rad.
    const x = Float64Array.from([1, 2, 3, 4, 1, 0, 0, 0]);
    const y = rotaryForwardReference(x, s);
    expect(Array.from(y.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(y[4]).toBeCloseTo(Math.cos(1), 12);
    expect(y[6]).toBeCloseTo(Math.sin(1), 12);
    expect(y[5]).toBe(0);
    expect(y[7]).toBe(0);
    const table = rotaryTable(2, 4, 10000);
    expect(table[2 + 1]).toBeCloseTo(Math.cos(0.01), 7); // cos(θ[t=1, j=1])
  });

  it('q and k of one graph share one cos/sin table', async () => {
    const g = new Graph('cpu');
    const q = g.input([1, 4, 2, 8], 'f32', 'q');
    const k = g.input([1, 4, 2, 8], 'f32', 'k');
    const before = g.plannedBytes.activation;
    rotary(g, q, { heads: 2, headDim: 8 });
    const afterFirst = g.plannedBytes.activation;
    rotary(g, k, { heads: 2, headDim: 8 });
    // The second call plans only its output (256 bytes after alignment), not a second table.
    expect(g.plannedBytes.activation - afterFirst).toBe(256);
    expect(afterFirst - before).toBe(512);
  });

  it('rejects shapes that do not match heads × headDim', async () => {
    const g = new Graph('cpu');
    const x = g.input([1, 4, 10], 'f32', 'x');
    expect(() => rotary(g, x, { heads: 2, headDim: 4 })).toThrow(/rotary/);
    expect(() => rotary(g, x, { heads: 2, headDim: 5 })).toThrow(/even/);
  });

  itPassesKernelChecks(rotaryChecks);
});
