import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../../testing/expectChecks.ts';
import { gradcheck } from '../../testing/gradcheck.ts';
import { randomArray } from '../../testing/random.ts';
import { channelWrapChecks } from './checks.ts';
import { channelWrapBackwardReference, channelWrapForwardReference } from './reference.ts';

describe('channelWrap', () => {
  it('reference backward matches finite differences', () => {
    const x = randomArray(4 * 3, 1);
    const dy = randomArray(4 * 8, 2);
    const r = gradcheck((xs) => channelWrapForwardReference(xs[0]!, 3, 1, 8), [x], dy, [channelWrapBackwardReference(dy, 3, 1, 8)], [0]);
    expect(r.maxAbsDiff).toBeLessThan(1e-8);
  });
  itPassesKernelChecks(channelWrapChecks);
});
