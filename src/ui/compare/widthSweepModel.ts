// The width sweeps' results, pure: for every 'width' launch, one point per finished width of test
// accuracy against the model's state per sequence at the sweep's setting, grouped by task, as the
// synthetic-recall literature plots recall against state size. A recurrent layer's state is fixed;
// attention's KV cache is placed at the setting's own length (keys and values of every position a
// query sees: 2 · min(window, T) · d per layer), which is well defined here because a sweep trains
// one setting. A model whose state grows with T in another way (a long convolution) is listed with
// the reason instead.

import { checkArchitecture, type ArchitectureSpec } from '../../model/architecture.ts';
import { countModel } from '../../model/counting.ts';
import type { RunView } from '../../state/runsStore.ts';
import type { StoredSweep } from '../../storage/runRecords.ts';
import type { TaskName, TaskSetting } from '../../tasks/types.ts';

/** Softmax attention, whose state per sequence is its KV cache. */
const ATTENTION_TYPES: ReadonlySet<string> = new Set(['attention', 'mh-attention', 'sliding-attention', 'mh-sliding-attention']);

export interface SettingState {
  /** Floats per sequence at the setting's length. */
  state: number;
  /** True when part of it is attention's KV cache at this length (so it is this setting's, not the model's). */
  kvCache: boolean;
}

/** Keys a query sees at length T under window_size [left, right] (−1: unbounded). */
function keysSeen(windowSize: unknown, seqLen: number): number {
  const left = Array.isArray(windowSize) && typeof windowSize[0] === 'number' && windowSize[0] >= 0 ? windowSize[0] : -1;
  return left < 0 ? seqLen : Math.min(seqLen, left + 1);
}

/** The state per sequence of `architecture` trained on `setting`; a string says why it has none. */
export function stateAtSetting(architecture: ArchitectureSpec, setting: TaskSetting): SettingState | string {
  const check = checkArchitecture(architecture);
  if (!check.ok) return 'its model is invalid';
  const count = countModel(check.resolved, { vocabSize: setting.vocabSize, maxLength: setting.seqLen, task: setting.task });
  let state = 0;
  let kvCache = false;
  for (const [i, layer] of count.layers.entries()) {
    if (layer.stateSize !== null) state += layer.stateSize;
    else if (ATTENTION_TYPES.has(layer.type)) {
      state += 2 * keysSeen(check.resolved.layers[i]!.config.window_size, setting.seqLen) * architecture.dim;
      kvCache = true;
    } else return `its ${layer.type} layer keeps state that grows with the sequence length (the input history of a long convolution), so it has no state size to place`;
  }
  return { state, kvCache };
}

export interface WidthPoint {
  runId: string;
  dim: number;
  state: number;
  /** The run's best test accuracy (the results row of its best epoch). */
  accuracy: number;
}

export interface WidthSweepSeries {
  sweepId: string;
  label: string;
  task: TaskName;
  /** One per finished width, in order of state. */
  points: WidthPoint[];
  /** Runs still queued, training or paused. */
  pending: number;
  /** Runs that ended without a result (failed, cancelled) or could not be placed, with why. */
  notPlaced: { label: string; reason: string }[];
  kvCache: boolean;
}

/** Every width sweep with at least one of its runs still stored, newest first. */
export function widthSweepSeries(sweeps: readonly StoredSweep[], runs: Readonly<Record<string, RunView>>): WidthSweepSeries[] {
  return sweeps
    .filter((sweep) => sweep.kind === 'width')
    .sort((a, b) => b.createdAt - a.createdAt)
    .flatMap((sweep): WidthSweepSeries[] => {
      const members = sweep.runIds.map((id) => runs[id]).filter((run): run is RunView => run !== undefined);
      if (members.length === 0) return [];
      const series: WidthSweepSeries = { sweepId: sweep.sweepId, label: sweep.label, task: members[0]!.plan.setting.task, points: [], pending: 0, notPlaced: [], kvCache: false };
      for (const run of members) {
        if (run.result === null) {
          if (run.status === 'failed' || run.status === 'cancelled') series.notPlaced.push({ label: run.label, reason: `${run.status}${run.failure ? `: ${run.failure}` : ''}` });
          else series.pending += 1;
          continue;
        }
        const accuracy = run.result.row.test_acc;
        if (!Number.isFinite(accuracy)) {
          series.notPlaced.push({ label: run.label, reason: 'diverged: its test accuracy is not a number' });
          continue;
        }
        const state = stateAtSetting(run.plan.architecture, run.plan.setting);
        if (typeof state === 'string') {
          series.notPlaced.push({ label: run.label, reason: state });
          continue;
        }
        series.kvCache ||= state.kvCache;
        series.points.push({ runId: run.runId, dim: run.plan.architecture.dim, state: state.state, accuracy });
      }
      series.points.sort((a, b) => a.state - b.state);
      return [series];
    });
}

const csvField = (value: string | number): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The plotted width points as CSV, one row per point. */
export function widthSweepCsv(series: readonly WidthSweepSeries[]): string {
  const rows = series.flatMap((s) => s.points.map((p) => [s.label, s.task, p.dim, p.state, p.accuracy].map(csvField).join(',')));
  return ['sweep,task,width,state_per_sequence,test_accuracy', ...rows].join('\n') + '\n';
}
