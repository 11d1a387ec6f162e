// The training worker's API: what the page may ask a
// worker to do and what the worker reports back. Everything here is plain, structured-cloneable
// data: no GPU handle or class instance crosses the boundary. trainer.worker.ts implements it
// behind comlink; runPool.ts drives several of them.

import type { EpochRecord, RunEvent, RunPlan } from '../train/types.ts';
import type { RunPrediction } from './predictions.ts';
import type { RunOptions, SavedThing } from '../storage/runRecords.ts';

/**
 * What a worker reports. The trainer's RunEvents, where a 'step' event may stand for several
 * coalesced steps (loss and accuracy are their means, `step` the last one), plus the worker's
 * own lifecycle: pause and continue, cancellation, a restore from a stored checkpoint or why a
 * stored one was not used, and a write to storage that failed while training went on. The run
 * pool adds 'preparing' when it hands a run to a worker (data generation and compilation follow).
 */
export type WorkerEvent =
  | RunEvent
  | { kind: 'preparing'; runId: string }
  | { kind: 'restored'; runId: string; fromEpoch: number; epochs: EpochRecord[] }
  /** A checkpoint was stored but cannot continue this run (`epoch`: the 0-based epoch it was taken after, when readable). */
  | { kind: 'checkpoint-unused'; runId: string; epoch: number | null; reason: string }
  /** `epoch`: the 0-based epoch a checkpoint was taken after (null for the model); `reason`: the error, one clause. */
  | { kind: 'save-failed'; runId: string; what: SavedThing; epoch: number | null; storageFull: boolean; reason: string }
  | { kind: 'paused'; runId: string }
  | { kind: 'continued'; runId: string }
  | { kind: 'cancelled'; runId: string };

export type WorkerEventKind = WorkerEvent['kind'];

/** Kinds after which a run holds its worker no longer. */
const TERMINAL_EVENT_KINDS: ReadonlySet<WorkerEventKind> = new Set(['finished', 'failed', 'cancelled']);

export function isTerminalEvent(event: WorkerEvent): boolean {
  return TERMINAL_EVENT_KINDS.has(event.kind);
}

/** A run a worker holds, as listRuns() reports it. */
export interface WorkerRunSummary {
  runId: string;
  state: 'preparing' | 'running' | 'paused';
}

/** Receives events in batches: at most about ten calls a second, lifecycle events at once. */
export type WorkerEventListener = (batch: WorkerEvent[]) => void;

/** How the page sets up a worker when it connects. */
export interface WorkerSetup {
  /**
   * Test-only (the end-to-end tests set it through the page URL, see trainerClient.ts): keep the
   * worker's thread busy this many milliseconds before the first run's data generation, as a
   * huge setting does, so the worker cannot see messages meanwhile. 0 in normal use.
   */
  holdDataGenerationMs: number;
}

export interface TrainerWorkerApi {
  /** Registers the page's listener (a comlink proxy); call once before starting runs. */
  connect(listener: WorkerEventListener, setup?: WorkerSetup): void;
  /**
   * Starts training `plan` under `runId` (a new id when omitted) and resolves with the id once
   * accepted; progress and the outcome arrive as events. When a checkpoint of that run is stored
   * (an interrupted run), training continues from it and a 'restored' event comes first.
   */
  startRun(plan: RunPlan, runId?: string, options?: RunOptions): Promise<string>;
  pause(runId: string): void;
  resume(runId: string): void;
  cancel(runId: string): void;
  listRuns(): WorkerRunSummary[];
  /**
   * The predictions of a finished run's stored model for one instance's inputs ([T] token ids).
   * The model is compiled on the first request and kept for the next ones until released.
   */
  predict(runId: string, inputs: Int32Array): Promise<RunPrediction>;
  /** Frees the compiled model of a run (removed, or no longer shown). */
  releaseModel(runId: string): void;
}
