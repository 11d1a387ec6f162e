// The layers learn their MAD tasks in a real training loop at tiny sizes (CI runs on SwiftShader,
// a CPU, so widths, batches and step counts are small): each model is built from an
// ArchitectureSpec with buildTrainingProgram, trained with AdamW on a short cosine schedule, and
// scored with MAD's macro accuracy (spec §6) on the test split via TrainingStep.evaluate.
//
// In-context recall (spec §1.1), V = 16, L = 32: keys 0–7, values 8–15, multi-query, so the model
// reads L − 1 = 31 tokens. Training targets are every next token; test targets only the recallable
// values (a key's second and later occurrences), so chance on the test split is 1/8 (a model that
// knows "a value comes next" but not which). Compression (spec §1.5), V = 8, L = 8, through the
// AutoEncoder: data tokens 0–6 (chance 1/7) plus the compression token 7 at the end.
//
// Each test also scores the untrained model, which must sit near chance, so that the accuracy
// after training measures learning and not a lenient metric.

import { describe, expect, it } from 'vitest';
import type { InitialData } from '../engine/graph.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import type { ArchitectureLayer, ArchitectureSpec } from '../model/architecture.ts';
import { buildDataset } from '../tasks/dataset.ts';
import { makeSetting } from '../tasks/settings.ts';
import type { TaskName } from '../tasks/types.ts';
import { gatherRows } from './batchGather.ts';
import { buildTrainingProgram } from './trainingProgram.ts';

interface Run {
  task: TaskName;
  vocabSize: number;
  seqLen: number;
  numTrain: number;
  numTest: number;
  architecture: ArchitectureSpec;
  batchSize: number;
  steps: number;
  lr: number;
  evalEvery: number;
}

interface Result {
  untrained: number;
  /** Test macro accuracy after every evalEvery steps and after the last. */
  curve: number[];
  /** Mean train loss since the previous point of the curve. */
  losses: number[];
  final: number;
  seconds: number;
}


async function trainAndScore(run: Run): Promise<Result> {
  const start = Date.now();
  const setting = makeSetting(run.task, { vocabSize: run.vocabSize, seqLen: run.seqLen, numTrainExamples: run.numTrain, numTestExamples: run.numTest });
  const data = buildDataset(setting);
  const B = run.batchSize;
  const program = buildTrainingProgram({
    architecture: run.architecture,
    vocabSize: run.vocabSize,
    maxLength: run.seqLen, // benchmark.py's max_length is the task's seq_len (the AutoEncoder uses its input length)
    task: run.task,
    batchSize: B,
    seqLen: data.train.inputLength,
    weightDecay: 0,
    seed: 1,
  });
  const step = await TrainingStep.compile(await testGpu(), program);
  const testBatches: InitialData[][] = [];
  for (let s = 0; s + B <= data.test.count; s += B) testBatches.push(gatherRows(data.test, Array.from({ length: B }, (_, b) => s + b)));
  const evaluate = async (): Promise<number> => {
    let last: Promise<{ macroAccuracy: number }> | null = null;
    testBatches.forEach((batch, i) => {
      last = step.evaluate(batch, { readMetrics: i === testBatches.length - 1 }) ?? last;
    });
    return (await last!).macroAccuracy;
  };

  const untrained = await evaluate();
  const curve: number[] = [];
  const losses: number[] = [];
  for (let k = 0; k < run.steps; k++) {
    // Walk the training set in a fixed stride order (a new offset each pass).
    const pass = Math.floor((k * B) / run.numTrain);
    const rows = Array.from({ length: B }, (_, b) => (((k * B + b) % run.numTrain) * 37 + pass * 11) % run.numTrain);
    const lr = run.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * k) / run.steps)));
    const readMetrics = (k + 1) % run.evalEvery === 0 || k === run.steps - 1;
    const metrics = step.train(gatherRows(data.train, rows), lr, { readMetrics });
    if (metrics) {
      losses.push((await metrics).loss);
      curve.push(await evaluate());
    }
  }
  step.destroy();
  const seconds = (Date.now() - start) / 1000;
  return { untrained, curve, losses, final: curve.at(-1)!, seconds };
}

function report(name: string, run: Run, r: Result): void {
  console.log(
    `${name}: untrained ${r.untrained.toFixed(3)}; ${run.steps} steps × batch ${run.batchSize} at lr ${run.lr} (cosine to 0.1×); ` +
      `test macro accuracy every ${run.evalEvery} steps and at the end ${r.curve.map((a) => a.toFixed(3)).join(' ')}; ` +
      `train loss ${r.losses.map((l) => l.toFixed(3)).join(' ')}; final ${r.final.toFixed(3)}; ${r.seconds.toFixed(1)} s`,
  );
}

const recall = (architecture: ArchitectureSpec, steps: number, lr: number, batchSize: number): Run => ({
  task: 'in-context-recall',
  vocabSize: 16,
  seqLen: 32,
  numTrain: 8192,
  numTest: 64,
  architecture,
  batchSize,
  steps,
  lr,
  evalEvery: Math.max(1, Math.floor(steps / 8)),
});

const twoBlocks = (dim: number, a: ArchitectureLayer, b: ArchitectureLayer): ArchitectureSpec => ({ version: 1, dim, layers: [a, b, a, b], init: 'current' });

/**
 * "Well above chance" on recall: chance is 1/8 (CHANCE_RECALL); the bar is twice that.
 *
 * NOT the acceptance bar for attention (≥ 0.95): at CI sizes no model here gets past
 * about 0.3 within a few hundred steps. Measured on this SwiftShader machine (test macro accuracy,
 * d 32, batch 16, 'current' init unless noted): mh-attention + swiglu ×2 at lr 5e-3 plateaus at
 * 0.28–0.31 from step 200 to step 700 (train loss ≈ 1.98; a model that recalls every recallable
 * value has ≈ 1.47); at d 64 (4 heads of 16, lr 3e-3) 0.30 at step 200; at lr 1e-2 and batch 8 it
 * stays at chance for 500 steps; with the 'paper' init (N(0, 0.02)) it stays at chance for 640
 * steps (2 heads, lr 5e-3, batch 32) and for 350 steps (1 head, lr 1e-2). mamba ×2 (d 16) reaches
 * 0.37 and mh-hyena + swiglu ×2 (d 16) 0.31 after 300 steps at lr 1e-2. A long attention run
 * (constant lr 5e-3) leaves the plateau only after ≈ 1,200 steps: 0.35 at 1,200, 0.43 at 1,400,
 * 0.56 at 1,800, 0.57 at 2,200 (≈ 11 minutes here), still far from 0.95. We read the 0.3 plateau
 * as context statistics (predict a value that already occurred in this sequence, the frequent
 * ones first) without key→value binding, so these bars show that each model learns from its
 * context, not that it recalls.
 *
 * The plateau is the model's, not the engine's: bench/tfjsTwin/icrTwin.ts, a TF.js model written
 * from the spec and started from our initial parameters, gives the same loss, gradients (≤ 3.6e-7)
 * and AdamW updates step for step, and trained in lockstep on the same 1,000 batches its test
 * macro accuracy tracks ours to the third decimal (0.214/0.214 at step 100, 0.312/0.312 at 300,
 * 0.339/0.336 at 1,000). Larger lr with warm-up and β2 0.98, 4 heads of 8, d 64 or batch 64 did
 * not leave the plateau within 500–600 steps either.
 */
const CHANCE_RECALL = 1 / 8;
const RECALL_ABOVE_CHANCE = 2 * CHANCE_RECALL;
const ATTENTION_STEPS = 250;
const MAMBA_STEPS = 200;
const HYENA_STEPS = 300;
const HYENA_DIM = 16;
const AE_STEPS = 200;

describe('layers learn in-context recall (V = 16, L = 32) and compression (V = 8, L = 8)', () => {
  it('mh-attention + swiglu × 2 blocks learns in-context recall well above chance', { timeout: 400_000 }, async () => {
    const attention: ArchitectureLayer = { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 16 } };
    const run = recall(twoBlocks(32, attention, { type: 'swiglu' }), ATTENTION_STEPS, 5e-3, 16);
    const r = await trainAndScore(run);
    report('mh-attention + swiglu ×2 (d 32, 2 heads of 16)', run, r);
    expect(r.untrained).toBeLessThan(0.2);
    expect(r.final).toBeGreaterThanOrEqual(RECALL_ABOVE_CHANCE);
  });

  it('mamba × 2 blocks learns in-context recall well above chance', { timeout: 400_000 }, async () => {
    const mamba: ArchitectureLayer = { type: 'mamba', config: { d_state: 4, expand: 2 } };
    const run = recall(twoBlocks(16, mamba, mamba), MAMBA_STEPS, 1e-2, 16);
    const r = await trainAndScore(run);
    report('mamba ×2 (d 16)', run, r);
    expect(r.untrained).toBeLessThan(0.2);
    expect(r.final).toBeGreaterThanOrEqual(RECALL_ABOVE_CHANCE);
  });

  it('mh-hyena + swiglu × 2 blocks learns in-context recall well above chance', { timeout: 400_000 }, async () => {
    const hyena: ArchitectureLayer = {
      type: 'mh-hyena',
      config: { num_heads: 4, long_conv_cfg: { num_heads: 4, bias: true, filter_cls: 'implicit', filter_cfg: { order: 2 } } },
    };
    const run = recall(twoBlocks(HYENA_DIM, hyena, { type: 'swiglu' }), HYENA_STEPS, 1e-2, 16);
    const r = await trainAndScore(run);
    report(`mh-hyena + swiglu ×2 (d ${HYENA_DIM})`, run, r);
    expect(r.untrained).toBeLessThan(0.2);
    expect(r.final).toBeGreaterThanOrEqual(RECALL_ABOVE_CHANCE);
  });

  it('an AutoEncoder (mh-attention + swiglu × 2) learns compression above chance', { timeout: 400_000 }, async () => {
    const run: Run = {
      task: 'compression',
      vocabSize: 8,
      seqLen: 8,
      numTrain: 8192,
      numTest: 128,
      architecture: { ...twoBlocks(32, { type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 16 } }, { type: 'swiglu' }), backbone: 'autoencoder' },
      batchSize: 32,
      steps: AE_STEPS,
      lr: 1e-2,
      evalEvery: AE_STEPS / 4,
    };
    const r = await trainAndScore(run);
    report('AutoEncoder, mh-attention + swiglu ×2 (d 32)', run, r);
    expect(r.untrained).toBeLessThan(0.3);
    expect(r.final).toBeGreaterThanOrEqual(0.4);
  });
});
