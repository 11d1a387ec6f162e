// The delta-rule layers learn in-context recall (docs/protocol.md §1.1, §4.9; V = 16, L = 32) at
// the tiny sizes of layersLearn.test.ts: a 2-block delta-net + swiglu model (d 16, 2 heads of 8×8)
// reaches at least twice chance, and starts near chance. Measured (seed 1, 2-core SwiftShader):
// untrained 0.045, then 0.145 0.129 0.186 0.224 0.241 0.243 0.259 0.264 every 25 steps, 222 s.

import { describe, expect, it } from 'vitest';
import type { ArchitectureLayer } from '../model/architecture.ts';
import { CHANCE_RECALL, recall, report, trainAndScore, twoBlocks } from './testing/learningRun.ts';

const RECALL_ABOVE_CHANCE = 2 * CHANCE_RECALL;
const DIM = 16;
const STEPS = 200;

describe('delta-net learns in-context recall (V = 16, L = 32)', () => {
  it('delta-net + swiglu × 2 blocks learns in-context recall at least twice chance', { timeout: 400_000 }, async () => {
    const mixer: ArchitectureLayer = { type: 'delta-net', config: { num_heads: 2, head_dim: 8 } };
    const run = recall(twoBlocks(DIM, mixer, { type: 'swiglu' }), STEPS, 1e-2, 16);
    const r = await trainAndScore(run);
    report(`delta-net + swiglu ×2 (d ${DIM})`, run, r);
    expect(r.untrained).toBeLessThan(0.2);
    expect(r.final).toBeGreaterThanOrEqual(RECALL_ABOVE_CHANCE);
  });
});
