// IndexedDB persistence of runs, so a reload or a closed tab loses at most the epochs since the
// last checkpoint. Three object stores, each keyed by id:
//   runs         StoredRun: plan, status, epoch records, result (written by the page)
//   checkpoints  the latest StoredCheckpoint per run (written by the worker that trains it)
//   sweeps       StoredSweep: one launch (a setting, a grid, a protocol) and its runs in order
//   models       StoredModel: a finished run's final parameters, for predictions (written by the worker)
// Each store has one writer, so page and workers never race on a record.

import type { StoredCheckpoint } from './checkpointRecord.ts';
import { openDatabase, requestResult, transact } from './indexedDb.ts';
import type { StoredModel } from './modelRecord.ts';
import type { StoredRun, StoredSweep } from './runRecords.ts';

export const RUN_DATABASE = 'mad-lab-runs';
// Version 2 added the models store; the upgrade creates whichever stores are missing.
const VERSION = 2;
const RUNS = 'runs';
const CHECKPOINTS = 'checkpoints';
const SWEEPS = 'sweeps';
const MODELS = 'models';

export class RunStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<RunStore> {
    const db = await openDatabase(RUN_DATABASE, VERSION, (created) => {
      if (!created.objectStoreNames.contains(RUNS)) created.createObjectStore(RUNS, { keyPath: 'runId' });
      if (!created.objectStoreNames.contains(CHECKPOINTS)) created.createObjectStore(CHECKPOINTS, { keyPath: 'runId' });
      if (!created.objectStoreNames.contains(SWEEPS)) created.createObjectStore(SWEEPS, { keyPath: 'sweepId' });
      if (!created.objectStoreNames.contains(MODELS)) created.createObjectStore(MODELS, { keyPath: 'runId' });
    });
    return new RunStore(db);
  }

  putRun(run: StoredRun): Promise<void> {
    return this.put(RUNS, run);
  }

  listRuns(): Promise<StoredRun[]> {
    return this.getAll<StoredRun>(RUNS);
  }

  /** Removes a run with its checkpoint and model (its sweep keeps listing the id; the page skips missing runs). */
  async deleteRun(runId: string): Promise<void> {
    await transact(this.db, [RUNS, CHECKPOINTS, MODELS], 'readwrite', (tx) => {
      tx.objectStore(RUNS).delete(runId);
      tx.objectStore(CHECKPOINTS).delete(runId);
      tx.objectStore(MODELS).delete(runId);
    });
  }

  putCheckpoint<C>(checkpoint: StoredCheckpoint<C>): Promise<void> {
    return this.put(CHECKPOINTS, checkpoint);
  }

  getCheckpoint<C>(runId: string): Promise<StoredCheckpoint<C> | undefined> {
    return transact(this.db, CHECKPOINTS, 'readonly', (tx) =>
      requestResult(tx.objectStore(CHECKPOINTS).get(runId) as IDBRequest<StoredCheckpoint<C> | undefined>),
    );
  }

  async deleteCheckpoint(runId: string): Promise<void> {
    await transact(this.db, CHECKPOINTS, 'readwrite', (tx) => {
      tx.objectStore(CHECKPOINTS).delete(runId);
    });
  }

  putModel(model: StoredModel): Promise<void> {
    return this.put(MODELS, model);
  }

  getModel(runId: string): Promise<StoredModel | undefined> {
    return transact(this.db, MODELS, 'readonly', (tx) => requestResult(tx.objectStore(MODELS).get(runId) as IDBRequest<StoredModel | undefined>));
  }

  putSweep(sweep: StoredSweep): Promise<void> {
    return this.put(SWEEPS, sweep);
  }

  listSweeps(): Promise<StoredSweep[]> {
    return this.getAll<StoredSweep>(SWEEPS);
  }

  private async put(store: string, value: unknown): Promise<void> {
    await transact(this.db, store, 'readwrite', (tx) => {
      tx.objectStore(store).put(value);
    });
  }

  private getAll<T>(store: string): Promise<T[]> {
    return transact(this.db, store, 'readonly', (tx) => requestResult(tx.objectStore(store).getAll() as IDBRequest<T[]>));
  }
}
