// A real training loop for the learning tests at tiny sizes (CI runs on SwiftShader, a CPU, so
// widths, batches and step counts are small): the model is built from an ArchitectureSpec with
// buildTrainingProgram, trained with AdamW (a short cosine schedule, or a constant lr with a stop
// once solved), and scored with MAD's macro accuracy (docs/protocol.md §6) on the test split via
// TrainingStep.evaluate. It also scores the untrained model, so that tests can check it sits near
// chance and the accuracy after training measures learning, not a lenient metric. A run's seed
// picks its data, its initial weights and its batch order, so a comparison can be repeated over
// seeds; seed 1 is what every test used before seeds existed.

import type { InitialData } from '../../engine/graph.ts';
import { testGpu } from '../../engine/testing/gpu.ts';
import { TrainingStep } from '../../engine/trainingStep.ts';
import type { ArchitectureLayer, ArchitectureSpec } from '../../model/architecture.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { MAD_DEFAULTS, makeSetting } from '../../tasks/settings.ts';
import type { TaskName } from '../../tasks/types.ts';
import { gatherRows } from '../batchGather.ts';
import { buildTrainingProgram } from '../trainingProgram.ts';

export interface Run {
  task: TaskName;
  vocabSize: number;
  seqLen: number;
  numTrain: number;
  numTest: number;
  architecture: ArchitectureSpec;
  batchSize: number;
  steps: number;
  lr: number;
  /** 'cosine' decays to 0.1 × lr over `steps`; 'constant' keeps lr. */
  schedule: 'cosine' | 'constant';
  evalEvery: number;
  /**
   * Stop at the first evaluation whose accuracy reaches `accuracy`, as MAD stops at test accuracy
   * > 0.999. The curve is then measured on the first `checkRows` test rows only, and the final
   * score on the other test rows, which took no part in the decision to stop.
   */
  stopAt?: { accuracy: number; checkRows: number };
  /** Picks the data, the initial weights and the batch order; default 1 (see seedsOf). */
  seed?: number;
  /** Noisy in-context recall only: the noise ids (part of vocabSize) and the per-slot noise probability. */
  noiseVocabSize?: number;
  fracNoise?: number;
}

/**
 * The data seed, the program (init) seed and the batch-order offset of a run. Seed 1 gives MAD's
 * default data seed, program seed 1 and no offset: exactly the runs made before seeds existed.
 */
function seedsOf(seed: number): { data: number; program: number; batchOffset: number } {
  if (!Number.isSafeInteger(seed) || seed < 1) throw new Error(`a run's seed must be an integer ≥ 1, got ${seed}`);
  return { data: MAD_DEFAULTS.seed + seed - 1, program: seed, batchOffset: (seed - 1) * 13 };
}

export interface Result {
  untrained: number;
  /** Test macro accuracy after every evalEvery steps and after the last. */
  curve: number[];
  /** Mean train loss since the previous point of the curve. */
  losses: number[];
  /** Steps trained (fewer than run.steps after an early stop). */
  steps: number;
  final: number;
  seconds: number;
}

export async function trainAndScore(run: Run): Promise<Result> {
  const start = Date.now();
  const seeds = seedsOf(run.seed ?? 1);
  const setting = makeSetting(run.task, {
    vocabSize: run.vocabSize,
    seqLen: run.seqLen,
    numTrainExamples: run.numTrain,
    numTestExamples: run.numTest,
    noiseVocabSize: run.noiseVocabSize ?? MAD_DEFAULTS.noiseVocabSize,
    fracNoise: run.fracNoise ?? MAD_DEFAULTS.fracNoise,
    seed: seeds.data,
  });
  const data = buildDataset(setting);
  const B = run.batchSize;
  const gpu = await testGpu();
  const program = buildTrainingProgram({
    architecture: run.architecture,
    target: gpu.target,
    vocabSize: run.vocabSize,
    maxLength: run.seqLen, // benchmark.py's max_length is the task's seq_len (the AutoEncoder uses its input length)
    task: run.task,
    batchSize: B,
    seqLen: data.train.inputLength,
    weightDecay: 0,
    seed: seeds.program,
  });
  const step = await TrainingStep.compile(gpu, program);
  const batchesOf = (from: number, to: number): InitialData[][] => {
    const batches: InitialData[][] = [];
    for (let s = from; s + B <= to; s += B) batches.push(gatherRows(data.test, Array.from({ length: B }, (_, b) => s + b)));
    return batches;
  };
  const checkRows = run.stopAt?.checkRows ?? data.test.count;
  const checkBatches = batchesOf(0, checkRows);
  const finalBatches = run.stopAt ? batchesOf(checkRows, data.test.count) : checkBatches;
  const evaluate = async (batches: InitialData[][]): Promise<number> => {
    let last: Promise<{ macroAccuracy: number }> | null = null;
    batches.forEach((batch, i) => {
      last = step.evaluate(batch, { readMetrics: i === batches.length - 1 }) ?? last;
    });
    return (await last!).macroAccuracy;
  };

  const untrained = await evaluate(finalBatches);
  const curve: number[] = [];
  const losses: number[] = [];
  let k = 0;
  while (k < run.steps) {
    // Walk the training set in a fixed stride order (a new offset each pass, shifted by the seed).
    const pass = Math.floor((k * B) / run.numTrain);
    const rows = Array.from({ length: B }, (_, b) => (((k * B + b) % run.numTrain) * 37 + pass * 11 + seeds.batchOffset) % run.numTrain);
    const lr = run.schedule === 'constant' ? run.lr : run.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * k) / run.steps)));
    const readMetrics = (k + 1) % run.evalEvery === 0 || k === run.steps - 1;
    const metrics = step.train(gatherRows(data.train, rows), lr, { readMetrics });
    k++;
    if (metrics) {
      losses.push((await metrics).loss);
      curve.push(await evaluate(checkBatches));
      if (run.stopAt && curve.at(-1)! >= run.stopAt.accuracy) break;
    }
  }
  const final = run.stopAt ? await evaluate(finalBatches) : curve.at(-1)!;
  step.destroy();
  const seconds = (Date.now() - start) / 1000;
  return { untrained, curve, losses, steps: k, final, seconds };
}

export function report(name: string, run: Run, r: Result): void {
  const schedule = run.schedule === 'constant' ? 'constant' : 'cosine to 0.1×';
  const stop = run.stopAt ? ` (stop at ${run.stopAt.accuracy} on the first ${run.stopAt.checkRows} test rows)` : '';
  const final = run.stopAt ? `final on the other ${run.numTest - run.stopAt.checkRows} test rows` : 'final';
  console.log(
    `${name}: untrained ${r.untrained.toFixed(3)}; ${r.steps} of ${run.steps} steps × batch ${run.batchSize} at lr ${run.lr} (${schedule})${stop}; ` +
      `test macro accuracy every ${run.evalEvery} steps and at the end ${r.curve.map((a) => a.toFixed(3)).join(' ')}; ` +
      `train loss ${r.losses.map((l) => l.toFixed(3)).join(' ')}; ${final} ${r.final.toFixed(3)}; ${r.seconds.toFixed(1)} s`,
  );
}

/**
 * In-context recall (docs/protocol.md §1.1), V = 16, L = 32: keys 0–7, values 8–15, multi-query, so the model
 * reads L − 1 = 31 tokens. Training targets are every next token; test targets only the
 * recallable values (a key's second and later occurrences), so chance on the test split is
 * CHANCE_RECALL = 1/8 (a model that knows "a value comes next" but not which).
 */
export const recall = (architecture: ArchitectureSpec, steps: number, lr: number, batchSize: number): Run => ({
  task: 'in-context-recall',
  vocabSize: 16,
  seqLen: 32,
  numTrain: 8192,
  numTest: 64,
  architecture,
  batchSize,
  steps,
  lr,
  schedule: 'cosine',
  evalEvery: Math.max(1, Math.floor(steps / 8)),
});

/**
 * Noisy in-context recall (docs/protocol.md §1.2), V = 32 = 16 key/value ids (keys 0–7, values
 * 8–15) + 16 noise ids (16–31), L = 32, each of the 15 non-probe slots noise with probability 0.4
 * (never the guard slot). Training targets are every next token, noise included; test targets
 * only the recallable values (a key's second and later occurrences, and the probe's value), never
 * noise, so chance on the test split is again CHANCE_RECALL = 1/8.
 */
export const noisyRecall = (architecture: ArchitectureSpec, steps: number, lr: number, batchSize: number, seed: number): Run => ({
  ...recall(architecture, steps, lr, batchSize),
  task: 'noisy-in-context-recall',
  vocabSize: 32,
  noiseVocabSize: 16,
  fracNoise: 0.4,
  seed,
});

/** Two blocks of (a, b), e.g. mixer + channel mixer, at the 'current' init. */
export const twoBlocks = (dim: number, a: ArchitectureLayer, b: ArchitectureLayer): ArchitectureSpec => ({ version: 1, dim, layers: [a, b, a, b], init: 'current' });

export const CHANCE_RECALL = 1 / 8;
