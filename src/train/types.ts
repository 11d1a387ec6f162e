// The plain, serialisable records of training (docs/architecture.md, "Contracts"): what a run
// is asked to do (RunPlan), what it reports while it trains (RunEvent) and what it leaves
// behind (RunResult, whose `row` is mad-lab's results.csv). The trainer, the protocol runner,
// the worker API, the CLI and the UI all speak these types; none holds a GPU object.

import type { ArchitectureSpec } from '../model/architecture.ts';
import type { TaskSetting } from '../tasks/types.ts';

export type SchedulerKind = 'cosine' | 'plateau' | 'none';

/** train.py's training flags (docs/protocol.md §6, §8.1), with mad-lab's defaults in DEFAULT_TRAINING. */
export interface TrainingHyperparameters {
  lr: number;
  weightDecay: number;
  /** Maximum epochs (200 in MAD); early stop may end a run sooner. */
  epochs: number;
  /** Effective batch (128 in MAD); the trainer may split it into micro-batches. */
  batchSize: number;
  scheduler: SchedulerKind;
  minLr: number;
  /** --early-stop: also stop after `stopPatience` epochs without a better test accuracy. */
  earlyStop: boolean;
  stopPatience: number;
  plateauPatience: number;
  plateauFactor: number;
  /** Seeds the shuffle order and the parameter initialisation. */
  seed: number;
}

export const DEFAULT_TRAINING: TrainingHyperparameters = {
  lr: 5e-4,
  weightDecay: 0,
  epochs: 200,
  batchSize: 128,
  scheduler: 'cosine',
  minLr: 1e-6,
  earlyStop: false,
  stopPatience: 20,
  plateauPatience: 5,
  plateauFactor: 0.9,
  seed: 12345,
};

/** One training run: one architecture on one task setting with one set of hyper-parameters. */
export interface RunPlan {
  architecture: ArchitectureSpec;
  setting: TaskSetting;
  training: TrainingHyperparameters;
}

/** Epoch means of one split, aggregated as Lightning logs them (docs/protocol.md §6). */
export interface SplitMetrics {
  loss: number;
  /** MAD's accuracy: torchmetrics' macro recall, averaged per batch. */
  accuracy: number;
  /** Plain token accuracy over scored positions, beside it. */
  microAccuracy: number;
  perplexity: number;
}

export interface EpochRecord {
  /** 0-based. */
  epoch: number;
  /** The learning rate used during this epoch. */
  lr: number;
  train: SplitMetrics;
  test: SplitMetrics;
  /** Wall time of the epoch (training and test pass). */
  seconds: number;
}

/** How a run ended. 'diverged': a loss or metric became NaN/inf (the run is dropped from scores). */
export type RunStatus = 'completed' | 'early-stopped' | 'diverged';

/** One row of mad-lab's results.csv, its column names exactly (docs/protocol.md §6). */
export interface ResultsRow {
  train_acc: number;
  train_ppl: number;
  train_loss: number;
  test_acc: number;
  test_ppl: number;
  test_loss: number;
}

export const RESULTS_COLUMNS = ['train_acc', 'train_ppl', 'train_loss', 'test_acc', 'test_ppl', 'test_loss'] as const;

export interface RunResult {
  status: RunStatus;
  /** The epoch with the lowest test perplexity, whose weights the row was measured on (null if none finished). */
  bestEpoch: number | null;
  /** Validate passes of the best-perplexity weights on train and test (NaN when diverged). */
  row: ResultsRow;
  epochs: EpochRecord[];
  /** Micro-batching the trainer chose (1 when the whole batch fits). */
  microBatches: number;
  seconds: number;
}

/**
 * What a running training reports; the worker batches these to the page. A 'step' event is a
 * metric read: loss and accuracy are means over the steps since the last read, gradNorm the global
 * L2 norm of the parameter gradients at step `step`.
 */
export type RunEvent =
  | { kind: 'started'; runId: string; totalEpochs: number; stepsPerEpoch: number; microBatches: number }
  | { kind: 'step'; runId: string; epoch: number; step: number; loss: number; accuracy: number; gradNorm: number }
  | { kind: 'epoch'; runId: string; record: EpochRecord }
  | { kind: 'checkpointed'; runId: string; epoch: number }
  | { kind: 'finished'; runId: string; result: RunResult }
  | { kind: 'failed'; runId: string; reason: string };
