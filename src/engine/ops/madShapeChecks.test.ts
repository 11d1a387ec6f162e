// The checks at MAD's shape (checkSuite.ts MAD_SHAPE_CHECKS) on the test GPU: each passes within its
// op's tolerance (largest difference printed), a planted fault fails it, and they run after a
// mode's own checks only when asked.
import { describe, expect, it } from 'vitest';
import { itPassesKernelChecks } from '../testing/expectChecks.ts';
import { MAD_SHAPE_CHECKS, runCheckSuite, suiteChecks } from './checkSuite.ts';
import { MAD_SHAPE_TAG } from './madShape.ts';

describe('kernel checks at MAD shape', () => {
  it('are added to a mode only when asked, each named as a MAD-shape check', () => {
    const quick = suiteChecks('quick');
    expect(suiteChecks('quick', true)).toEqual([...quick, ...MAD_SHAPE_CHECKS]);
    for (const { check } of MAD_SHAPE_CHECKS) expect(check.name).toContain(MAD_SHAPE_TAG);
  });

  itPassesKernelChecks(MAD_SHAPE_CHECKS.map((c) => c.check));

  it('fail when the kernel computes wrongly', async () => {
    const norm = MAD_SHAPE_CHECKS.filter((c) => c.kernel === 'rmsnorm');
    const [result] = await runCheckSuite(norm, { fault: 'rmsnorm' });
    expect(result!.ok).toBe(false);
    expect(result!.errorRatio).toBeGreaterThan(1);
  });
});
