import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { UNARY_TEST_ALPHA, unaryChecks, unaryTestRange } from './checks.ts';
import { unaryBackwardReference, unaryForwardReference } from './reference.ts';
import { shaderSource } from '../../shaderSource.ts';
import { UNARY_OPS, unaryOpCode } from './unary.ts';

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
  it('op codes match the OP_* constants of common/activations.wgsl', () => {
    const source = shaderSource('common/activations.wgsl');
    for (const op of UNARY_OPS) {
      const name = `OP_${op.toUpperCase().replace(/-/g, '_')}`;
      const m = new RegExp(`const ${name}: u32 = (\\d+)u;`).exec(source);
      expect(m, name).not.toBeNull();
      expect(Number(m![1]), name).toBe(unaryOpCode(op));
    }
  });

  itPassesKernelChecks(unaryChecks);
});
