// State of the Runs page: every run the lab knows (stored ones and new ones), fed by the training
// workers' events, with per-run metric series for the charts; which run the charts show; which
// architectures the radar hides and whether it overlays the published scores. Every change is a
// named action; the run controller (src/runs/runController.ts) calls them and persists the runs.

import { create } from 'zustand';
import type { WorkerEvent } from '../worker/api.ts';
import { recordsUpTo, type SaveProblem, type StoredRun, type StoredRunStatus, type StoredSweep } from '../storage/runRecords.ts';

/** 'interrupted': was training when the page went away, and is starting again. */
export type RunViewStatus = StoredRunStatus | 'interrupted';

/** One coalesced batch of training steps; `x` is in epochs (2.5 = half-way through the third). */
export interface StepPoint {
  x: number;
  loss: number;
  accuracy: number;
  /** Global L2 norm of the parameter gradients at the batch's last step. */
  gradNorm: number;
}

export interface RunView extends Omit<StoredRun, 'status' | 'preparing' | 'saveProblem' | 'checkpointUnused'> {
  status: RunViewStatus;
  /** Handed to a worker that is generating its data or compiling its model ('started' ends it). */
  preparing: boolean;
  /** A failed write to storage the run went on without (shown as a warning), or null. */
  saveProblem: SaveProblem | null;
  /** Why the stored checkpoint was not used when this attempt started, or null. */
  checkpointUnused: { epoch: number | null; reason: string } | null;
  totalEpochs: number;
  stepsPerEpoch: number | null;
  /** Epochs of training done, fractional. */
  position: number;
  steps: StepPoint[];
  /** When training last (re)started and where it stood then, for the ETA; null while not training. */
  clock: { since: number; positionAtSince: number } | null;
  /** The checkpoint epoch this attempt continued from (after a reload), or null for a fresh start. */
  resumedFrom: number | null;
  /** A 'restored' event came and its 'started' has not yet: that start continues, not restarts. */
  restorePending: boolean;
}

/** 'waiting': another tab of the lab trains; this one takes over when that tab closes. */
export type RunnerStatus = 'starting' | 'waiting' | 'ready';

/** The step series keeps at most this many points; older ones are merged in pairs as it grows. */
export const MAX_STEP_POINTS = 1200;

interface RunsState {
  runs: Record<string, RunView>;
  /** Newest first. */
  order: string[];
  /** Launches by id, for the progress of grids and protocols. */
  sweeps: Record<string, StoredSweep>;
  /** The run whose charts are shown; null: the newest. */
  selectedRunId: string | null;
  hiddenArchitectures: string[];
  showPublished: boolean;
  /** EMA weight of the step curves, in [0, 1). */
  chartSmoothing: number;
  chartLogScale: boolean;
  runner: RunnerStatus;
  /** Why the runner cannot work here (no IndexedDB, a failed write), or null. */
  runnerProblem: string | null;

  runsLoaded: (stored: readonly StoredRun[], interrupted: ReadonlySet<string>) => void;
  runsQueued: (stored: readonly StoredRun[]) => void;
  sweepsLoaded: (sweeps: readonly StoredSweep[]) => void;
  eventsReceived: (batch: readonly WorkerEvent[], now: number) => void;
  /** A failed or cancelled run queued again (it continues from its checkpoint when one is stored). */
  runRequeued: (runId: string) => void;
  runRemoved: (runId: string) => void;
  selectRun: (runId: string) => void;
  toggleArchitecture: (architectureKey: string) => void;
  setShowPublished: (show: boolean) => void;
  setChartSmoothing: (weight: number) => void;
  setChartLogScale: (logScale: boolean) => void;
  runnerChanged: (runner: RunnerStatus) => void;
  runnerFailed: (problem: string) => void;
}

export function viewOfStoredRun(run: StoredRun, interrupted: boolean): RunView {
  const lastEpoch = run.epochs.at(-1)?.epoch;
  return {
    ...run,
    status: interrupted ? 'interrupted' : run.status,
    preparing: run.preparing ?? false,
    saveProblem: run.saveProblem ?? null,
    checkpointUnused: run.checkpointUnused ?? null,
    totalEpochs: run.plan.training.epochs,
    stepsPerEpoch: null,
    position: run.result ? run.plan.training.epochs : lastEpoch === undefined ? 0 : lastEpoch + 1,
    steps: [],
    clock: null,
    resumedFrom: null,
    restorePending: false,
  };
}

/** What is persisted of a view: an interrupted run is stored as running, since it restarts. */
export function storedRunOf(view: RunView): StoredRun {
  return {
    runId: view.runId,
    plan: view.plan,
    options: view.options,
    sweepId: view.sweepId,
    sweepKind: view.sweepKind,
    label: view.label,
    createdAt: view.createdAt,
    status: view.status === 'interrupted' ? 'running' : view.status,
    epochs: view.epochs,
    checkpointEpoch: view.checkpointEpoch,
    result: view.result,
    failure: view.failure,
    preparing: view.preparing,
    saveProblem: view.saveProblem,
    checkpointUnused: view.checkpointUnused,
  };
}

/**
 * Where a step event sits in epochs. `step` is the optimizer's step count after the step (AdamW's
 * t, 1 for the first step of the run), so its place within the epoch is (step − 1) mod stepsPerEpoch.
 */
export function stepPosition(event: { epoch: number; step: number }, stepsPerEpoch: number | null): number {
  if (stepsPerEpoch === null || stepsPerEpoch <= 0) return event.epoch;
  return event.epoch + (((event.step - 1) % stepsPerEpoch) + 1) / stepsPerEpoch;
}

/** Appends a point; past `cap` points, neighbours are merged in pairs so the series spans the whole run. */
export function appendStepPoint(series: readonly StepPoint[], point: StepPoint, cap = MAX_STEP_POINTS): StepPoint[] {
  const next = [...series, point];
  if (next.length <= cap) return next;
  const merged: StepPoint[] = [];
  for (let i = 0; i + 1 < next.length; i += 2) {
    const a = next[i]!;
    const b = next[i + 1]!;
    merged.push({ x: b.x, loss: (a.loss + b.loss) / 2, accuracy: (a.accuracy + b.accuracy) / 2, gradNorm: (a.gradNorm + b.gradNorm) / 2 });
  }
  if (next.length % 2 === 1) merged.push(next.at(-1)!);
  return merged;
}

/** The run list's order: the newest launch first, and within a launch its runs in the order they train. */
export function listOrder(runs: readonly Pick<RunView, 'runId' | 'sweepId' | 'createdAt'>[]): string[] {
  const launchedAt = new Map<string, number>();
  for (const run of runs) launchedAt.set(run.sweepId, Math.min(launchedAt.get(run.sweepId) ?? Infinity, run.createdAt));
  return [...runs]
    .sort((a, b) => launchedAt.get(b.sweepId)! - launchedAt.get(a.sweepId)! || (a.sweepId < b.sweepId ? -1 : a.sweepId > b.sweepId ? 1 : 0) || a.createdAt - b.createdAt)
    .map((run) => run.runId);
}

/** The view after one worker event. */
export function applyEvent(view: RunView, event: WorkerEvent, now: number): RunView {
  const startClock = (position: number) => ({ since: now, positionAtSince: position });
  switch (event.kind) {
    case 'preparing':
      // A new attempt: what the last one reported about storage no longer holds.
      return { ...view, preparing: true, saveProblem: null, checkpointUnused: null };
    case 'started': {
      // Without a checkpoint the worker trains from epoch 0 again: what an earlier attempt left goes.
      const fresh = view.restorePending ? {} : { epochs: [], steps: [], position: 0, checkpointEpoch: null, resumedFrom: null };
      const next = { ...view, ...fresh, restorePending: false };
      // A run paused while its worker prepared it starts paused.
      const paused = view.status === 'paused';
      return {
        ...next,
        status: paused ? 'paused' : 'running',
        preparing: false,
        failure: null,
        totalEpochs: event.totalEpochs,
        stepsPerEpoch: event.stepsPerEpoch,
        clock: paused ? null : startClock(next.position),
      };
    }
    case 'restored': {
      const position = event.fromEpoch + 1;
      const epochs = event.epochs.length > 0 ? event.epochs : recordsUpTo(view.epochs, event.fromEpoch);
      return {
        ...view,
        epochs,
        checkpointEpoch: event.fromEpoch,
        position,
        steps: view.steps.filter((p) => p.x <= position),
        resumedFrom: event.fromEpoch,
        restorePending: true,
      };
    }
    case 'checkpoint-unused':
      return { ...view, checkpointUnused: { epoch: event.epoch, reason: event.reason } };
    case 'save-failed':
      return { ...view, saveProblem: { what: event.what, epoch: event.epoch, storageFull: event.storageFull, reason: event.reason } };
    case 'step': {
      const x = stepPosition(event, view.stepsPerEpoch);
      return { ...view, position: Math.max(view.position, x), steps: appendStepPoint(view.steps, { x, loss: event.loss, accuracy: event.accuracy, gradNorm: event.gradNorm }) };
    }
    case 'epoch': {
      const epochs = [...view.epochs.filter((r) => r.epoch !== event.record.epoch), event.record].sort((a, b) => a.epoch - b.epoch);
      return { ...view, epochs, position: Math.max(view.position, event.record.epoch + 1) };
    }
    case 'checkpointed':
      // A checkpoint written: checkpoints are no longer paused.
      return { ...view, checkpointEpoch: event.epoch, saveProblem: view.saveProblem?.what === 'checkpoint' ? null : view.saveProblem };
    case 'finished': {
      // Checkpoints no longer matter once the run finished; an unsaved model still does (no predictions).
      const saveProblem = view.saveProblem?.what === 'model' ? view.saveProblem : null;
      return { ...view, status: event.result.status, result: event.result, epochs: event.result.epochs, position: view.totalEpochs, clock: null, preparing: false, saveProblem };
    }
    case 'failed':
      return { ...view, status: 'failed', failure: event.reason, clock: null, preparing: false };
    case 'paused':
      return { ...view, status: 'paused', clock: null };
    case 'continued':
      return { ...view, status: 'running', clock: startClock(view.position) };
    case 'cancelled':
      return { ...view, status: 'cancelled', clock: null, preparing: false };
  }
}

export const useRunsStore = create<RunsState>()((set, get) => ({
  runs: {},
  order: [],
  sweeps: {},
  selectedRunId: null,
  hiddenArchitectures: [],
  showPublished: false,
  chartSmoothing: 0.6,
  chartLogScale: false,
  runner: 'starting',
  runnerProblem: null,

  runsLoaded: (stored, interrupted) => {
    const runs = { ...get().runs };
    for (const run of stored) runs[run.runId] = viewOfStoredRun(run, interrupted.has(run.runId));
    set({ runs, order: listOrder(Object.values(runs)) });
  },

  runsQueued: (stored) => {
    const runs = { ...get().runs };
    for (const run of stored) runs[run.runId] = viewOfStoredRun(run, false);
    set({ runs, order: listOrder(Object.values(runs)) });
  },

  sweepsLoaded: (sweeps) => {
    set({ sweeps: { ...get().sweeps, ...Object.fromEntries(sweeps.map((sweep) => [sweep.sweepId, sweep])) } });
  },

  eventsReceived: (batch, now) => {
    const runs = { ...get().runs };
    for (const event of batch) {
      const view = runs[event.runId];
      if (view) runs[event.runId] = applyEvent(view, event, now);
    }
    set({ runs });
  },

  runRequeued: (runId) => {
    const view = get().runs[runId];
    if (!view) return;
    set({ runs: { ...get().runs, [runId]: { ...view, status: 'queued', failure: null, clock: null, preparing: false } } });
  },

  runRemoved: (runId) => {
    const { [runId]: _removed, ...runs } = get().runs;
    set({ runs, order: get().order.filter((id) => id !== runId), selectedRunId: get().selectedRunId === runId ? null : get().selectedRunId });
  },

  selectRun: (runId) => set({ selectedRunId: runId }),

  toggleArchitecture: (architectureKey) => {
    const hidden = get().hiddenArchitectures;
    set({ hiddenArchitectures: hidden.includes(architectureKey) ? hidden.filter((k) => k !== architectureKey) : [...hidden, architectureKey] });
  },

  setShowPublished: (showPublished) => set({ showPublished }),

  setChartSmoothing: (weight) => set({ chartSmoothing: Math.min(0.99, Math.max(0, weight)) }),

  setChartLogScale: (chartLogScale) => set({ chartLogScale }),

  runnerChanged: (runner) => set({ runner }),

  runnerFailed: (runnerProblem) => set({ runnerProblem }),
}));
