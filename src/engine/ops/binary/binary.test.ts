import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { broadcastShapes } from '../reduce/broadcast.ts';
import { BINARY_OPS } from './binary.ts';
import { binaryChecks } from './checks.ts';
import { binaryBackwardReference, binaryForwardReference } from './reference.ts';

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

describe('binary ops', () => {
  const shapes: [number[], number[]][] = [
    [[3, 4], [3, 4]],
    [[2, 3, 4], [4]],
    [[2, 3, 4], [2, 3, 1]],
    [[2, 1, 4], [3, 1]],
  ];
  for (const op of BINARY_OPS) {
    for (const [sa, sb] of shapes) {
      it(`${op} [${sa}] ∘ [${sb}]: reference backward matches finite differences`, () => {
        const a = randomArray(size(sa), 1);
        const b = randomArray(size(sb), 2);
        const dy = randomArray(size(broadcastShapes(sa, sb)), 3);
        const A = { data: a, shape: sa };
        const B = { data: b, shape: sb };
        const { da, db } = binaryBackwardReference(op, A, B, dy);
        const f = (xs: Float64Array[]): Float64Array =>
          binaryForwardReference(op, { data: xs[0]!, shape: sa }, { data: xs[1]!, shape: sb });
        const result = gradcheck(f, [a, b], dy, [da, db], [0, 1]);
        expect(result.maxAbsDiff).toBeLessThan(1e-7);
      });
    }
  }

  it('forward reference broadcasts like NumPy', () => {
    const y = binaryForwardReference(
      'sub',
      { data: Float64Array.from([1, 2]), shape: [2, 1] },
      { data: Float64Array.from([10, 20, 30]), shape: [3] },
    );
    expect(Array.from(y)).toEqual([-9, -19, -29, -8, -18, -28]);
  });

  itPassesKernelChecks(binaryChecks);
});
