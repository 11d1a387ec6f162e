// Where finished runs live, keyed by mad-lab's run directory name (src/train/runKey.ts): files in
// Node (fileResultsStore.ts), IndexedDB in the browser. A run is finished when its results row is
// stored; a started run without one is unfinished and is trained again from the start, as mad-lab
// does when a log directory has no results.csv.

import type { EpochRecord, ResultsRow, RunPlan, RunResult, RunStatus } from './types.ts';

/** What this lab keeps beside mad-lab's results row (run.json in a run directory). */
export interface RunSummary {
  /** 'running' until the run finishes; a run that stays 'running' was interrupted. */
  status: RunStatus | 'running';
  plan: RunPlan;
  bestEpoch: number | null;
  epochs: EpochRecord[];
  microBatches: number;
  seconds: number;
}

export interface StoredRun {
  row: ResultsRow;
  /** Absent for runs mad-lab itself wrote (a results.csv alone). */
  summary?: RunSummary;
}

export interface ResultsStore {
  /** True when the run finished: its results row is stored. */
  has(runDir: string): Promise<boolean>;
  get(runDir: string): Promise<StoredRun | undefined>;
  /** Marks a run as started, discarding what an earlier unfinished attempt left. */
  start(runDir: string, plan: RunPlan): Promise<void>;
  /** Stores a finished run; from then on `has` is true and the run is never trained again. */
  put(runDir: string, plan: RunPlan, result: RunResult): Promise<void>;
  /** Every finished run's directory name. */
  list(): Promise<string[]>;
}

/** The summary of a finished run. */
export function summaryOf(plan: RunPlan, result: RunResult): RunSummary {
  return { status: result.status, plan, bestEpoch: result.bestEpoch, epochs: result.epochs, microBatches: result.microBatches, seconds: result.seconds };
}

/** A store held in memory: for tests, and for work that need not outlive the page. */
export class MemoryResultsStore implements ResultsStore {
  private readonly finished = new Map<string, StoredRun>();

  async has(runDir: string): Promise<boolean> {
    return this.finished.has(runDir);
  }

  async get(runDir: string): Promise<StoredRun | undefined> {
    return this.finished.get(runDir);
  }

  async start(runDir: string): Promise<void> {
    this.finished.delete(runDir);
  }

  async put(runDir: string, plan: RunPlan, result: RunResult): Promise<void> {
    this.finished.set(runDir, { row: { ...result.row }, summary: summaryOf(plan, result) });
  }

  async list(): Promise<string[]> {
    return [...this.finished.keys()];
  }
}
