// mamba2 + swiglu × 2 blocks learns in-context recall (V = 16, L = 32; chance CHANCE_RECALL = 1/8)
// at the small scale of layersLearn.test.ts, on the test GPU (lavapipe or SwiftShader in CI). The
// untrained model must sit near chance, so the bar measures learning (docs/protocol.md §4.10).
// Observed on SwiftShader and on lavapipe alike: untrained 0.013, 0.298 after 200 steps (bar 0.25).

import { describe, expect, it } from 'vitest';
import type { ArchitectureLayer } from '../model/architecture.ts';
import { CHANCE_RECALL, recall, report, trainAndScore, twoBlocks } from './testing/learningRun.ts';

const RECALL_ABOVE_CHANCE = 2 * CHANCE_RECALL;
const STEPS = 200;
const DIM = 16;

describe('mamba2 learns in-context recall (V = 16, L = 32)', () => {
  it('mamba2 + swiglu × 2 blocks learns in-context recall at least twice chance', { timeout: 400_000 }, async () => {
    // d 16, expand 2: 32 inner channels in 4 heads of 8, N = 8, one B/C group.
    const mamba2: ArchitectureLayer = { type: 'mamba2', config: { headdim: 8, d_state: 8, expand: 2 } };
    const run = recall(twoBlocks(DIM, mamba2, { type: 'swiglu' }), STEPS, 1e-2, 16);
    const r = await trainAndScore(run);
    report(`mamba2 + swiglu ×2 (d ${DIM})`, run, r);
    expect(r.untrained).toBeLessThan(0.2);
    expect(r.final).toBeGreaterThanOrEqual(RECALL_ABOVE_CHANCE);
  });
});
