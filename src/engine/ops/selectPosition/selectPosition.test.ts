import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph.ts';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { selectPositionChecks } from './checks.ts';
import { selectPositionBackwardReference, selectPositionForwardReference } from './reference.ts';
import { selectPosition } from './selectPosition.ts';

describe('selectPosition', () => {
  for (const [shape, p] of [
    [[2, 5, 3], 4],
    [[3, 4, 2], 0],
    [[1, 1, 7], 0],
  ] as [[number, number, number], number][]) {
    it(`reference backward matches finite differences [${shape.join('×')}] p=${p}`, () => {
      const x = randomArray(shape[0] * shape[1] * shape[2], 1);
      const dy = randomArray(shape[0] * shape[2], 2);
      const analytic = selectPositionBackwardReference(dy, shape, p);
      const result = gradcheck((xs) => selectPositionForwardReference(xs[0]!, shape, p), [x], dy, [analytic], [0]);
      expect(result.maxAbsDiff).toBeLessThan(1e-8);
    });
  }

  it('refuses positions outside the sequence and non-3-D inputs', () => {
    const g = new Graph('cpu');
    const x = g.input([2, 4, 3], 'f32', 'x');
    expect(() => selectPosition(g, x, 4)).toThrow(/position 4 is outside 0…3/);
    expect(() => selectPosition(g, x, -5)).toThrow(/position -5 is outside/);
    expect(() => selectPosition(g, g.input([4, 3], 'f32', 'y'), 0)).toThrow(/needs an f32 \[B, T, D\] input/);
  });

  itPassesKernelChecks(selectPositionChecks);
});
