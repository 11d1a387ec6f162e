// The learning bar for attention: a 2-block mh-attention + swiglu model solves in-context
// recall (docs/protocol.md §1.1, V = 16, L = 32) to ≥ 0.95 test macro accuracy, trained on a CPU
// implementation in CI (lavapipe where installed, else SwiftShader).
// In its own file so that Vitest runs it beside the rest of the suite: it is the longest test.

import { expect, it } from 'vitest';
import type { ArchitectureLayer } from '../model/architecture.ts';
import { recall, report, type Run, trainAndScore, twoBlocks } from './testing/learningRun.ts';

/**
 * Attention must solve recall: ≥ RECALL_SOLVED test macro accuracy (the bar). A 2-layer
 * attention model does it with an induction circuit (layer 1 copies each key into the value
 * after it, through rotary positions alone; layer 2 matches the probe key against those copies),
 * and that circuit forms abruptly after a plateau near 0.3–0.4, where the model only predicts
 * values that already occurred in the sequence. How long the plateau lasts depends on width,
 * heads and seed, so the run stops at the first evaluation past the transition (STOP_AT, above
 * the bar so that a lucky evaluation just over it does not end the run), and the score asserted
 * is measured afterwards on test rows that took no part in that decision.
 *
 * Sizing, measured with a PyTorch model written from the spec (batch 16, 'current' init, test
 * macro accuracy every 100 steps). d 64 with MAD's 8-dim heads (8 heads) at a constant lr 3e-3
 * first reached ≥ 0.95 at step 1,100, 1,300, 1,400, 1,500, 1,700 and 2,000 for six seeds, not by
 * 1,500 or 2,000 for two more; 1e-6 relative noise on one seed's initial weights moved it from
 * 1,100 to 1,500 and to "not by 1,600", so the plateau's length is chaotic and the step cap leaves
 * room. Slower or no better (same seeds, same step counts): d 32 with 1, 2, 4 or 8 heads (0.35–0.45
 * at 1,500 steps; 1 head 0.76 at 4,000), d 48, 96 and 128 with 8-dim heads, d 64 with 16, 4 or 2
 * heads, batch 8 or 32, lr ≥ 5e-3, a cosine schedule, β2 0.98, weight decay 0.1, LayerNorm and
 * the 'paper' init; lr 4e-3 took two slow seeds to ≥ 0.9 by step 1,700–2,000.
 *
 * This engine (seed 1, stop at 0.98): 0.76 at step 1,500, 0.97 at 1,600, 0.99 at 1,700, 0.986
 * on the 192 held-out rows, 377–384 s on a 2-core SwiftShader machine; three runs printed the
 * same curve to the last digit. On lavapipe (Mesa 25.0.7), which rounds differently, the plateau
 * ended earlier: 0.52 at step 1,200, 0.93 at 1,300, 0.98 at 1,400, 0.981 held out (344 s on the
 * same 2 cores while other jobs loaded them). Earlier runs of this engine at d 32 had the same plateau, and
 * bench/tfjsTwin/icrTwin.ts (a TF.js model from the spec, from our initial parameters) tracks ours
 * step for step through it: the plateau is the model's, not the engine's.
 */
const RECALL_SOLVED = 0.95;
const STOP_AT = 0.98;
const ATTENTION_DIM = 64;
const ATTENTION_HEADS = 8;
const ATTENTION_MAX_STEPS = 4000;

it('mh-attention + swiglu × 2 blocks solves in-context recall (≥ 0.95)', { timeout: 1_500_000 }, async () => {
  const attention: ArchitectureLayer = { type: 'mh-attention', config: { n_heads: ATTENTION_HEADS, rotary_emb_dim: ATTENTION_DIM / ATTENTION_HEADS } };
  const run: Run = {
    ...recall(twoBlocks(ATTENTION_DIM, attention, { type: 'swiglu' }), ATTENTION_MAX_STEPS, 3e-3, 16),
    numTest: 256,
    schedule: 'constant',
    evalEvery: 100,
    stopAt: { accuracy: STOP_AT, checkRows: 64 },
  };
  const r = await trainAndScore(run);
  report(`mh-attention + swiglu ×2 (d ${ATTENTION_DIM}, ${ATTENTION_HEADS} heads of ${ATTENTION_DIM / ATTENTION_HEADS})`, run, r);
  expect(r.untrained).toBeLessThan(0.2);
  expect(r.final).toBeGreaterThanOrEqual(RECALL_SOLVED);
});
