// A one-layer Mamba language model must learn a task that needs mixing across time: predict
// the token two steps back (a position-wise model cannot beat chance 1/V). Exercises the whole
// path — in_proj, conv, scan, gating, out_proj inside the real backbone, AdamW — end to end.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../../engine/testing/gpu.ts';
import { TrainingStep } from '../../engine/trainingStep.ts';
import { Prng } from '../../tasks/prng.ts';
import { IGNORE_INDEX } from '../../tasks/types.ts';
import { buildTrainingProgram } from '../../train/trainingProgram.ts';

const V = 8;
const L = 12;
const BATCH = 8;
const DIM = 16;
const LAG = 2;
const STEPS = 40;

function batch(rng: Prng): [Int32Array, Int32Array] {
  const ids = new Int32Array(BATCH * L);
  const targets = new Int32Array(BATCH * L);
  for (let i = 0; i < ids.length; i++) ids[i] = rng.integer(V);
  for (let i = 0; i < ids.length; i++) targets[i] = i % L >= LAG ? ids[i - LAG]! : IGNORE_INDEX;
  return [ids, targets];
}

describe('mamba language model', () => {
  it(`learns to predict the token ${LAG} steps back`, async () => {
    const gpu = await testGpu();
    const program = buildTrainingProgram({
      architecture: { version: 1, dim: DIM, layers: [{ type: 'mamba' }], init: 'current' },
      target: gpu.target,
      vocabSize: V,
      batchSize: BATCH,
      seqLen: L,
      weightDecay: 0,
      seed: 3,
    });
    const step = await TrainingStep.compile(gpu, program);
    const rng = new Prng(11);
    const losses: number[] = [];
    let last: Promise<{ loss: number; microAccuracy: number }> | null = null;
    for (let s = 0; s < STEPS; s++) {
      const m = step.train(batch(rng), 1e-2, { readMetrics: s % 10 === 9 });
      if (m) {
        last = m;
        losses.push((await m).loss);
      }
    }
    const held = await step.evaluate(batch(new Prng(99)), { readMetrics: true })!;
    step.destroy();
    console.log(`loss every 10 steps ${losses.map((l) => l.toFixed(3)).join(' ')}; held-out accuracy ${held.microAccuracy.toFixed(3)}`);
    expect(last).not.toBeNull();
    expect(losses.at(-1)!).toBeLessThan(Math.log(V) / 4);
    expect(held.microAccuracy).toBeGreaterThan(0.9);
  });
});
