// One training run as mad-lab's train.py does it (docs/protocol.md §6): AdamW on the lr/weight-decay of the
// plan, the learning rate scheduled per epoch, shuffled batches of 128 with the last partial batch
// kept, a test pass after every epoch, early stop above 0.999 test accuracy, and the reported row
// measured by validate passes on the train and test splits with the weights of the epoch with the
// lowest test perplexity. A non-finite loss or metric marks the run diverged: it stops and its row
// is NaN, so scoring drops it as analysis.py drops NaN rows.
//
// Metrics stay on the GPU as running sums and come back asynchronously a few times per epoch
// ('step' events, with the gradient norm of the step read in the same copy); the reads of an
// epoch add up to its exact batch-size-weighted means.

import type { EngineGpu } from '../engine/compile.ts';
import { addMetricSums, metricMeans, zeroMetricSums, type MetricMeans, type MetricSums } from '../engine/metrics/metricSums.ts';
import { TrainingStep, type TrainingMetrics } from '../engine/trainingStep.ts';
import { assertDataFitsVocabulary, type SplitData } from '../tasks/dataset.ts';
import { BatchBuffer } from './batchGather.ts';
import { batchRows, batchesPerPass, epochOrder, sequentialOrder } from './batchOrder.ts';
import { ParameterSnapshot } from './bestParameters.ts';
import { assertResumes, CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.ts';
import { EarlyStopping } from './earlyStopping.ts';
import { planMicroBatches } from './microBatching.ts';
import type { RunControl } from './runControl.ts';
import { LearningRateSchedule } from './schedule.ts';
import { buildTrainingProgram } from './trainingProgram.ts';
import type { EpochRecord, ResultsRow, RunEvent, RunPlan, RunResult, RunStatus, SplitMetrics } from './types.ts';

/** The two splits a run reads (a Dataset has them). */
export interface TrainingData {
  train: SplitData;
  test: SplitData;
}

export interface TrainRunOptions {
  runId?: string;
  /** started, then 'step' (step = optimizer steps so far in the run) and 'epoch', then finished or failed. */
  onEvent?: (event: RunEvent) => void;
  /** Pause and cancel between training steps and between the batches of test and validate passes. */
  control?: RunControl;
  /** Call onCheckpoint after every this many epochs (never when absent). */
  checkpointEvery?: number;
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Continue a run from its checkpoint (the same plan and data). */
  resumeFrom?: Checkpoint;
  /** Micro-batches per step instead of the count chosen from the device's limits. */
  microBatches?: number;
  /** Total GPU memory the run may plan (see microBatching.ts). */
  memoryBudgetBytes?: number;
  /** Metric reads ('step' events) per epoch; default 4. */
  readsPerEpoch?: number;
  /**
   * Receives the parameters the results row was measured on (the best-perplexity epoch's) once
   * training ends, before the GPU copy is freed, so they can be kept for predictions. Not called
   * for a diverged run.
   */
  onFinalParameters?: (parameters: Float32Array) => void | Promise<void>;
  /**
   * Start from these parameters (the whole param pool, e.g. a weights file's) instead of the
   * values drawn at the plan's seed; the seed still orders the batches. Not with resumeFrom.
   */
  initialParameters?: Float32Array;
}

const DEFAULT_READS_PER_EPOCH = 4;

export async function trainRun(gpu: EngineGpu, plan: RunPlan, data: TrainingData, options: TrainRunOptions = {}): Promise<RunResult> {
  const runId = options.runId ?? 'run';
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  try {
    const result = await train(gpu, plan, data, options, runId, emit);
    emit({ kind: 'finished', runId, result });
    return result;
  } catch (error) {
    emit({ kind: 'failed', runId, reason: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

async function train(gpu: EngineGpu, plan: RunPlan, data: TrainingData, options: TrainRunOptions, runId: string, emit: (e: RunEvent) => void): Promise<RunResult> {
  const started = performance.now();
  const h = plan.training;
  const resume = options.resumeFrom;
  if (resume) assertResumes(resume, plan);
  if (resume && options.initialParameters) throw new Error('a run resumes from its checkpoint or starts from given parameters, not both');
  assertData(plan, data);
  if (!Number.isInteger(h.epochs) || h.epochs < 1) throw new Error(`epochs must be a positive integer, got ${h.epochs}`);
  const every = options.checkpointEvery;
  if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new Error(`checkpointEvery must be a positive number of epochs, got ${every}`);

  const B = h.batchSize;
  const T = data.train.inputLength;
  const { microBatches, program } = planMicroBatches(
    (rows) =>
      buildTrainingProgram({
        architecture: plan.architecture,
        target: gpu.target,
        vocabSize: plan.setting.vocabSize,
        maxLength: plan.setting.seqLen, // benchmark.py's max_length is the task's seq_len
        task: plan.setting.task,
        batchSize: rows,
        seqLen: T,
        weightDecay: h.weightDecay,
        seed: h.seed,
      }),
    B,
    gpu.device.limits,
    { budgetBytes: options.memoryBudgetBytes, forced: resume?.microBatches ?? options.microBatches },
  );
  const step = await TrainingStep.compile(gpu, program, { microBatches });
  const best = ParameterSnapshot.create(step.compiled);
  try {
    const schedule = resume ? LearningRateSchedule.resume(h, resume.schedule) : LearningRateSchedule.start(h);
    const earlyStop = new EarlyStopping(h, resume?.earlyStop);
    const epochs: EpochRecord[] = resume ? [...resume.epochs] : [];
    let bestEpoch: { epoch: number; perplexity: number } | null = resume?.best ? { epoch: resume.best.epoch, perplexity: resume.best.perplexity } : null;
    if (resume) {
      step.writeState(resume);
      if (resume.best) best.write(resume.best.parameters);
    } else if (options.initialParameters) {
      // Queued after compileGraph's writes of the drawn values, so these replace them.
      step.compiled.writePool('param', options.initialParameters);
    }
    const priorSeconds = resume?.seconds ?? 0;
    const elapsed = (): number => priorSeconds + (performance.now() - started) / 1000;

    const buffer = new BatchBuffer(B, T);
    const stepsPerEpoch = batchesPerPass(data.train.count, B);
    const readEvery = Math.max(1, Math.ceil(stepsPerEpoch / (options.readsPerEpoch ?? DEFAULT_READS_PER_EPOCH)));
    emit({ kind: 'started', runId, totalEpochs: h.epochs, stepsPerEpoch, microBatches });

    let status: RunStatus = 'completed';
    for (let epoch = resume?.nextEpoch ?? 0; epoch < h.epochs; epoch++) {
      const epochStart = performance.now();
      const lr = schedule.lrAt(epoch);
      const trainSums = await trainEpoch(step, data.train, buffer, epochOrder(data.train.count, h.seed, epoch), lr, readEvery, options.control, (m, stepNumber) =>
        emit({ kind: 'step', runId, epoch, step: stepNumber, loss: m.loss, accuracy: m.macroAccuracy, gradNorm: m.gradNorm }),
      );
      if (trainSums === null) {
        status = 'diverged';
        break;
      }
      const testMeans = await evaluatePass(step, data.test, sequentialOrder(data.test.count), buffer, options.control);
      const record: EpochRecord = {
        epoch,
        lr,
        train: splitMetrics(metricMeans(trainSums)),
        test: splitMetrics(testMeans),
        seconds: (performance.now() - epochStart) / 1000,
      };
      epochs.push(record);
      emit({ kind: 'epoch', runId, record });
      if (testMeans.nonFiniteBatches > 0 || !allFinite(record.train) || !allFinite(record.test)) {
        status = 'diverged';
        break;
      }
      // ModelCheckpoint(monitor test perplexity, mode 'min'): strictly lower replaces the best.
      if (bestEpoch === null || record.test.perplexity < bestEpoch.perplexity) {
        bestEpoch = { epoch, perplexity: record.test.perplexity };
        best.save();
      }
      schedule.endEpoch(record.test.loss);
      if (earlyStop.update(record.test.accuracy) !== null) {
        status = 'early-stopped';
        break;
      }
      if (every !== undefined && options.onCheckpoint && (epoch + 1) % every === 0 && epoch + 1 < h.epochs) {
        const state = await step.readState();
        await options.onCheckpoint({
          version: CHECKPOINT_VERSION,
          plan,
          nextEpoch: epoch + 1,
          microBatches,
          ...state,
          schedule: schedule.state,
          earlyStop: earlyStop.state,
          best: bestEpoch && { ...bestEpoch, parameters: await best.read() },
          epochs: [...epochs],
          seconds: elapsed(),
        });
        emit({ kind: 'checkpointed', runId, epoch });
      }
    }

    if (status === 'diverged') {
      return { status, bestEpoch: null, row: NAN_ROW, epochs, microBatches, seconds: elapsed() };
    }
    // trainer.validate reloads the best-perplexity checkpoint, then runs the train loader (which
    // shuffles: the order of the epoch after the last one trained) and the test loader.
    if (bestEpoch) best.restore();
    const lastEpoch = epochs.at(-1)?.epoch ?? -1;
    const trainValidation = await evaluatePass(step, data.train, epochOrder(data.train.count, h.seed, lastEpoch + 1), buffer, options.control);
    const testValidation = await evaluatePass(step, data.test, sequentialOrder(data.test.count), buffer, options.control);
    if (options.onFinalParameters) await options.onFinalParameters(await step.readParameters());
    return {
      status,
      bestEpoch: bestEpoch?.epoch ?? null,
      row: resultsRow(trainValidation, testValidation),
      epochs,
      microBatches,
      seconds: elapsed(),
    };
  } finally {
    best.destroy();
    step.destroy();
  }
}

/**
 * One epoch of optimizer steps. Metrics are read every `readEvery` steps and at the last, with at
 * most two reads in flight (the step's double-buffered readback). Returns the epoch's metric sums,
 * or null as soon as a read shows a non-finite batch (the run diverged).
 */
async function trainEpoch(
  step: TrainingStep,
  split: SplitData,
  buffer: BatchBuffer,
  order: Uint32Array,
  lr: number,
  readEvery: number,
  control: RunControl | undefined,
  onRead: (means: TrainingMetrics, stepNumber: number) => void,
): Promise<MetricSums | null> {
  const steps = batchesPerPass(order.length, buffer.batchSize);
  const pending: Promise<{ means: TrainingMetrics; stepNumber: number }>[] = [];
  let sums = zeroMetricSums();
  let diverged = false;
  const collectOldest = async (): Promise<void> => {
    const { means, stepNumber } = await pending.shift()!;
    sums = addMetricSums(sums, means.sums);
    if (means.nonFiniteBatches > 0) diverged = true;
    onRead(means, stepNumber);
  };
  try {
    for (let s = 0; s < steps && !diverged; s++) {
      if (control?.mustWait) await control.wait();
      const readMetrics = s === steps - 1 || (s + 1) % readEvery === 0;
      const read = step.train(buffer.gather(split, batchRows(order, buffer.batchSize, s)), lr, { readMetrics });
      if (read) {
        const stepNumber = step.steps;
        pending.push(read.then((means) => ({ means, stepNumber })));
        if (pending.length === 2) await collectOldest();
      }
    }
    // A divergence seen mid-epoch leaves reads in flight: collect them before the next pass.
    while (pending.length > 0) await collectOldest();
  } finally {
    // A cancelled run must not leave reads mapping buffers that are about to be destroyed.
    await Promise.allSettled(pending);
  }
  return diverged ? null : sums;
}

/**
 * Forward passes over a split in `order` (validate / test loader), read once at the end. Pause
 * and cancel are honoured between batches, as between training steps: a pass over a large split
 * takes as long as many steps. No read is in flight before the last batch, so stopping is clean.
 */
async function evaluatePass(step: TrainingStep, split: SplitData, order: Uint32Array, buffer: BatchBuffer, control: RunControl | undefined): Promise<MetricMeans> {
  const batches = batchesPerPass(order.length, buffer.batchSize);
  let read: Promise<MetricMeans> | null = null;
  for (let b = 0; b < batches; b++) {
    if (control?.mustWait) await control.wait();
    read = step.evaluate(buffer.gather(split, batchRows(order, buffer.batchSize, b)), { readMetrics: b === batches - 1 }) ?? read;
  }
  return read!;
}

function splitMetrics(m: MetricMeans): SplitMetrics {
  return { loss: m.loss, accuracy: m.macroAccuracy, microAccuracy: m.microAccuracy, perplexity: m.perplexity };
}

function allFinite(m: SplitMetrics): boolean {
  return Number.isFinite(m.loss) && Number.isFinite(m.accuracy) && Number.isFinite(m.microAccuracy) && Number.isFinite(m.perplexity);
}

function resultsRow(train: MetricMeans, test: MetricMeans): ResultsRow {
  return {
    train_acc: train.macroAccuracy,
    train_ppl: train.perplexity,
    train_loss: train.loss,
    test_acc: test.macroAccuracy,
    test_ppl: test.perplexity,
    test_loss: test.loss,
  };
}

const NAN_ROW: ResultsRow = { train_acc: NaN, train_ppl: NaN, train_loss: NaN, test_acc: NaN, test_ppl: NaN, test_loss: NaN };

function assertData(plan: RunPlan, data: TrainingData): void {
  const { train, test } = data;
  if (train.count < 1 || test.count < 1) throw new Error(`both splits need examples, got ${train.count} train and ${test.count} test`);
  // Tokens and targets inside the vocabulary, rows of one length: whatever the source (generated,
  // read from disk), an embedding lookup outside the table reads garbage rather than failing.
  assertDataFitsVocabulary(data, plan.setting.vocabSize);
  if (train.count !== plan.setting.numTrainExamples || test.count !== plan.setting.numTestExamples) {
    throw new Error(
      `the data has ${train.count} train and ${test.count} test examples, the plan's setting ${plan.setting.numTrainExamples} and ${plan.setting.numTestExamples}: build the data from the plan's setting`,
    );
  }
}
