import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { rmsnormChecks } from './checks.ts';
import { normBackwardBlocks, normLayout } from '../normShared.ts';
import { rmsnormBackwardReference, rmsnormForwardReference } from './reference.ts';

describe('rmsnorm', () => {
  it('reference backward matches finite differences (dx and dw)', () => {
    const rows = 3;
    const d = 5;
    const eps = 1e-5;
    const x = randomArray(rows * d, 1, -2, 2);
    const w = randomArray(d, 2, 0.5, 1.5);
    const dy = randomArray(rows * d, 3);
    const { dx, dw } = rmsnormBackwardReference(x, w, dy, eps);
    const result = gradcheck((xs) => rmsnormForwardReference(xs[0]!, xs[1]!, eps).y, [x, w], dy, [dx, dw], [0, 1]);
    expect(result.maxAbsDiff).toBeLessThan(1e-7);
  });

  it('lays out MAD rows (16,384 × 128) as 32 lanes × 8 rows, 256 backward workgroups', () => {
    const layout = normLayout('rmsnorm', 128);
    expect(layout).toEqual({ lanes: 32, slots: 8, perThread: 4 });
    expect(normBackwardBlocks(16384, layout)).toEqual({ iters: 8, blocks: 256, partialRows: 2048 });
    expect(() => normLayout('rmsnorm', 4096)).toThrow(/exceed/);
  });

  itPassesKernelChecks(rmsnormChecks);
});
