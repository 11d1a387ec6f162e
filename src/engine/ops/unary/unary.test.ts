import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { UNARY_TEST_ALPHA, unaryChecks, unaryTestRange } from './checks.ts';
import { unaryBackwardReference, unaryForwardReference } from './reference.ts';
import { UNARY_OPS } from './unary.ts';

describe('unary ops', () => {
  for (const op of UNARY_OPS) {
    it(`${op}: reference backward matches finite differences`, () => {
      const [lo, hi] = unaryTestRange(op);
      const x = randomArray(40, 1, lo, hi);
      const dy = randomArray(40, 2);
      const analytic = unaryBackwardReference(op, x, dy, UNARY_TEST_ALPHA);
      const result = gradcheck((xs) => unaryForwardReference(op, xs[0]!, UNARY_TEST_ALPHA), [x], dy, [analytic], [0]);
      expect(result.maxAbsDiff).toBeLessThan(1e-6);
    });
  }
  itPassesKernelChecks(unaryChecks);
});
