import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { broadcastShapes, broadcastStrides, mergeDims } from './broadcast.ts';
import { reduceChecks } from './checks.ts';
import { reduceLastAxisBackwardReference, reduceLastAxisForwardReference, reduceToShapeReference } from './reference.ts';
import { recordReduceToShape, reduceLaunchShape } from './reduceToShape.ts';

describe('broadcasting helpers', () => {
  it('broadcasts shapes like NumPy and rejects mismatches', () => {
    expect(broadcastShapes([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastShapes([3], [])).toEqual([3]);
    expect(() => broadcastShapes([3, 4], [5])).toThrow(/do not broadcast/);
  });

  it('gives broadcast axes stride 0', () => {
    expect(broadcastStrides([4], [2, 3, 4])).toEqual([0, 0, 1]);
    expect(broadcastStrides([2, 3, 1], [2, 3, 4])).toEqual([3, 1, 0]);
  });

  it('merges axes that every operand walks as one', () => {
    // [B, T, D] + [D] → [B·T, D]
    expect(mergeDims([2, 3, 4], [[12, 4, 1], [0, 0, 1]])).toEqual({ sizes: [6, 4], strides: [[4, 1], [0, 1]] });
    // equal shapes → one axis; size-1 axes vanish
    expect(mergeDims([2, 1, 4], [[4, 4, 1], [4, 4, 1]])).toEqual({ sizes: [8], strides: [[1], [1]] });
    expect(mergeDims([1, 1], [[1, 1]])).toEqual({ sizes: [], strides: [[]] });
  });
});

describe('sum and mean over the last axis', () => {
  for (const mean of [false, true]) {
    it(`${mean ? 'mean' : 'sum'}: reference backward matches finite differences`, () => {
      const d = 5;
      const x = randomArray(3 * d, 1);
      const dy = randomArray(3, 2);
      const analytic = reduceLastAxisBackwardReference(dy, d, mean);
      const result = gradcheck((xs) => reduceLastAxisForwardReference(xs[0]!, d, mean), [x], dy, [analytic], [0]);
      expect(result.maxAbsDiff).toBeLessThan(1e-8);
    });
  }

  it('reduceToShape reference sums over broadcast axes (with a product operand)', () => {
    const src = Float64Array.from([1, 2, 3, 4, 5, 6]); // [2, 3]
    expect(Array.from(reduceToShapeReference(src, [2, 3], [3]))).toEqual([5, 7, 9]);
    expect(Array.from(reduceToShapeReference(src, [2, 3], [2, 1]))).toEqual([6, 15]);
    const other = { data: Float64Array.from([10, 100]), shape: [2, 1] };
    expect(Array.from(reduceToShapeReference(src, [2, 3], [3], other))).toEqual([410, 520, 630]);
  });

  describe('launch planning', () => {

    it('splits [B·T, 128] → [128] at MAD size into two deterministic stages over many workgroups', () => {
      const g = new Graph('cpu');
      const src = g.input([16384, 128], 'f32', 'dy');
      const dst = g.tensor([128], 'f32', 'db');
      recordReduceToShape(g, { src, dst, accumulate: true, label: 'db' });
      expect(g.launches).toHaveLength(2);
      const [first, second] = g.launches;
      const groups = (w: readonly number[]): number => w[0]! * w[1]! * w[2]!;
      expect(groups(first!.workgroups)).toBeGreaterThanOrEqual(128);
      expect(groups(second!.workgroups)).toBeGreaterThanOrEqual(1);
    });

    it('keeps the number of chunks within the grid limit for very long column sums', () => {
      const shape = reduceLaunchShape(128, 50_000_000, false);
      expect(shape.chunks).toBeLessThanOrEqual(4096);
      expect(shape.chunks * shape.rChunk).toBeGreaterThanOrEqual(50_000_000);
      expect(shape.rChunk % shape.rows).toBe(0);
    });

    it('sums a short row in one launch with several rows per workgroup', () => {
      const g = new Graph('cpu');
      const src = g.input([300, 7], 'f32', 'x');
      const dst = g.tensor([300, 1], 'f32', 'y');
      recordReduceToShape(g, { src, dst, accumulate: false, label: 'sum' });
      expect(g.launches).toHaveLength(1);
      expect(g.launches[0]!.constants).toMatchObject({ ROWS: 8, COLS: 32, LANES_INNER: 1 });
    });
  });

  itPassesKernelChecks(reduceChecks);
});
