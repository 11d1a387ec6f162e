// The compute a protocol profile asks for at most (docs/protocol.md §11), from its definition alone: every run
// trains `epochs` epochs of ⌈N_train/128⌉ optimizer steps, tests on the test split after every
// epoch, and ends with one pass over each split. Early stopping (test accuracy > 0.999) makes
// real runs shorter; these are the upper bounds every profile is compared by.

import type { ProtocolProfile } from '../config/protocols.ts';
import type { ArchitectureSpec } from '../model/architecture.ts';
import { countModel } from '../model/counting.ts';
import { stepFlops } from '../model/estimates.ts';
import { addWorkloads, type Workload } from '../model/trainingTime.ts';
import { modelInputLength } from '../tasks/stream.ts';
import type { TaskSetting } from '../tasks/types.ts';
import type { RunPlan } from './types.ts';

/** MAD's batch size (docs/protocol.md §6). */
const BATCH_SIZE = 128;
/**
 * A forward pass costs about a third of a training step's forward + backward (the backward is
 * about twice the forward), so an evaluated token position counts as a third of a trained one.
 */
const EVAL_COST_PER_TOKEN = 1 / 3;

export interface ComputeFigures {
  runs: number;
  /** Optimizer steps. */
  steps: number;
  /** Token positions trained on (forward and backward). */
  trainTokens: number;
  /** Token positions evaluated: the per-epoch test passes and the final train and test passes. */
  evalTokens: number;
}

/** One run of `epochs` epochs on `setting`. */
export function runCompute(setting: TaskSetting, epochs: number): ComputeFigures {
  const length = modelInputLength(setting);
  const { numTrainExamples: nTrain, numTestExamples: nTest } = setting;
  return {
    runs: 1,
    steps: epochs * Math.ceil(nTrain / BATCH_SIZE),
    trainTokens: epochs * nTrain * length,
    evalTokens: (epochs * nTest + nTrain + nTest) * length,
  };
}

/** Every run of a profile: each task's settings at its epochs, times the sweep points. */
export function protocolCompute(profile: ProtocolProfile): ComputeFigures {
  const total: ComputeFigures = { runs: 0, steps: 0, trainTokens: 0, evalTokens: 0 };
  for (const { settings, epochs } of profile.tasks) {
    for (const setting of settings) {
      const run = runCompute(setting, epochs);
      total.runs += profile.sweep.length;
      total.steps += run.steps * profile.sweep.length;
      total.trainTokens += run.trainTokens * profile.sweep.length;
      total.evalTokens += run.evalTokens * profile.sweep.length;
    }
  }
  return total;
}

/** Training-token equivalents: trained positions plus evaluated ones at a third of the cost. */
export function computeCost(figures: ComputeFigures): number {
  return figures.trainTokens + EVAL_COST_PER_TOKEN * figures.evalTokens;
}

/** The profile's cost as a fraction of the full protocol's. */
export function relativeCompute(profile: ProtocolProfile, full: ProtocolProfile): number {
  return computeCost(protocolCompute(profile)) / computeCost(protocolCompute(full));
}

type WorkloadRun = Pick<RunPlan, 'architecture' | 'setting'> & { training: Pick<RunPlan['training'], 'epochs' | 'batchSize'> };

/**
 * The FLOPs and optimizer steps of runs at their batch sizes, for time estimates
 * (src/model/trainingTime.ts): each model's FLOPs per trained token (stepFlops, attention's term at
 * the run's length) times the run's training-token equivalents (computeCost). Counting a model
 * traces it, so runs that share their model and sizes (a sweep's points) count it once.
 */
export function runsWorkload(runs: readonly WorkloadRun[]): Workload {
  const perToken = new Map<string, number>();
  return addWorkloads(
    runs.map(({ architecture, setting, training }) => {
      const length = modelInputLength(setting);
      const context = { vocabSize: setting.vocabSize, maxLength: setting.seqLen, task: setting.task };
      const key = JSON.stringify([architecture, context, length]);
      let flops = perToken.get(key);
      if (flops === undefined) {
        flops = stepFlops(architecture, countModel(architecture, context), { batchSize: 1, seqLen: length }).total / length;
        perToken.set(key, flops);
      }
      return {
        flops: flops * computeCost(runCompute(setting, training.epochs)),
        steps: training.epochs * Math.ceil(setting.numTrainExamples / training.batchSize),
      };
    }),
  );
}

/** Every run of a profile for one architecture, at MAD's batch. */
export function protocolWorkload(profile: ProtocolProfile, architecture: ArchitectureSpec): Workload {
  const once = runsWorkload(profile.tasks.flatMap(({ settings, epochs }) => settings.map((setting) => ({ architecture, setting, training: { epochs, batchSize: BATCH_SIZE } }))));
  return { flops: once.flops * profile.sweep.length, steps: once.steps * profile.sweep.length };
}
