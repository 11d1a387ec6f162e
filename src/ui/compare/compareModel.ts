// The Compare page's data, pure: every scored architecture as a point of MAD score (the mean, or one
// task's) against a size — state per sequence, parameters, or FLOPs per training step — counted by
// tracing the model (model/counting.ts, model/estimates.ts), never written by hand. Our runs and
// imported mad-lab logs are measured as the architecture they trained; a published table's model is
// placed at the sizes of our preset with its kind of layer list (the point says so), and a model
// with no such preset is listed as not placed. Architectures whose state grows with the sequence
// length (attention's KV cache, a long convolution's input history) have no state per sequence, so
// they are left out of the state plot and listed with that reason. Also the Pareto frontier (a
// higher score for less x) and the CSV of the plotted points.

import type { PublishedTable } from '../../config/publishedScores.ts';
import { TASK_GRIDS } from '../../config/taskGridFiles.ts';
import { checkArchitecture, problemsText, type ArchitectureSpec } from '../../model/architecture.ts';
import { countModel } from '../../model/counting.ts';
import { MAD_BATCH_SIZE, stepFlops } from '../../model/estimates.ts';
import type { Preset } from '../../model/presets.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { REFERENCE_COLORS } from '../charts/chartColors.ts';
import { architectureKey, type ArchitectureResults } from '../results/resultsModel.ts';

export type CompareAxis = 'state' | 'parameters' | 'flops';
/** 'mean': the mean over the six tasks (only architectures scored on all six); else one task's score. */
export type CompareScore = 'mean' | TaskName;
export type PointSource = 'lab' | 'mad-lab' | 'published';

export const AXIS_TITLES: Record<CompareAxis, string> = {
  state: 'State per sequence (floats)',
  parameters: 'Parameters',
  flops: 'FLOPs per training step',
};

/** The sizes of one architecture where the chosen score is measured. */
export interface Measure {
  /** Floats per sequence, or null when some layer's state grows with the length. */
  state: number | null;
  parameters: number;
  flops: number;
}

export interface ComparePoint {
  /** Unique among the points: the results key, or `<table>:<label>`. */
  id: string;
  label: string;
  source: PointSource;
  /** The published table's title, for published points. */
  table: string | null;
  color: string;
  x: number;
  score: number;
  /** For published points: where they were placed (our preset's sizes, not the model's own). */
  placement: string | null;
}

export interface LeftOut {
  label: string;
  source: PointSource;
  reason: string;
}

export interface CompareData {
  points: ComparePoint[];
  leftOut: LeftOut[];
}

export interface CompareInputs {
  /** Our runs and imported mad-lab logs, as the results model groups them. */
  results: readonly ArchitectureResults[];
  tables: readonly PublishedTable[];
  presetById: (id: string) => Preset | undefined;
}

/** The settings a score is measured at: the chosen task's baseline, or for the mean every task's. */
export function measuredTasks(score: CompareScore): readonly TaskName[] {
  return score === 'mean' ? TASK_NAMES : [score];
}

const measureCache = new Map<string, Measure | string>();

/**
 * The sizes of `architecture` at the baselines of `score`'s tasks: state per sequence (the same at
 * every setting), and parameters and FLOPs per step at batch 128 averaged over those baselines
 * (they differ by vocabulary and length). A string: why it cannot be measured.
 */
export function measureArchitecture(architecture: ArchitectureSpec, score: CompareScore): Measure | string {
  const key = `${score}|${architectureKey(architecture)}`;
  const cached = measureCache.get(key);
  if (cached !== undefined) return cached;
  let measure: Measure | string;
  const check = checkArchitecture(architecture);
  if (!check.ok) measure = `the model is invalid: ${problemsText(check.problems)}`;
  else {
    try {
      const counts = measuredTasks(score).map((task) => {
        const { vocabSize, seqLen } = TASK_GRIDS[task].baseline;
        const count = countModel(check.resolved, { vocabSize, maxLength: seqLen, task });
        return { count, flops: stepFlops(check.resolved, count, { batchSize: MAD_BATCH_SIZE, seqLen }).total };
      });
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      measure = { state: counts[0]!.count.stateTotal, parameters: Math.round(mean(counts.map((c) => c.count.total))), flops: mean(counts.map((c) => c.flops)) };
    } catch (error) {
      measure = `it could not be counted: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  measureCache.set(key, measure);
  return measure;
}

/** Why an architecture whose state grows with T has no point on the state plot. */
export const GROWING_STATE_REASON =
  'its state grows with the sequence length (attention’s KV cache, or a long convolution’s input history), so it has no fixed state per sequence; compare it by parameters or FLOPs, or see the width sweep, which places attention at its KV cache for one setting’s length';

function scoreOf(scores: Partial<Record<TaskName, number>>, score: CompareScore): number | string {
  if (score !== 'mean') return scores[score] ?? 'not scored on this task yet';
  const present = TASK_NAMES.filter((task) => scores[task] !== undefined);
  if (present.length < TASK_NAMES.length) return `scored on ${present.length} of 6 tasks, so it has no MAD mean yet; choose one task`;
  return present.reduce((sum, task) => sum + scores[task]!, 0) / TASK_NAMES.length;
}

function xOf(measure: Measure, axis: CompareAxis): number | null {
  return axis === 'state' ? measure.state : axis === 'parameters' ? measure.parameters : measure.flops;
}

/** Every scored architecture placed on the chosen axes, and the ones that could not be, each with its reason. */
export function comparePoints(inputs: CompareInputs, axis: CompareAxis, score: CompareScore): CompareData {
  const points: ComparePoint[] = [];
  const leftOut: LeftOut[] = [];
  const place = (base: Omit<ComparePoint, 'x' | 'score'>, scores: Partial<Record<TaskName, number>>, architecture: ArchitectureSpec | null, noArchitecture: string) => {
    const value = scoreOf(scores, score);
    if (typeof value === 'string') return leftOut.push({ label: base.label, source: base.source, reason: value });
    if (architecture === null) return leftOut.push({ label: base.label, source: base.source, reason: noArchitecture });
    const measure = measureArchitecture(architecture, score);
    if (typeof measure === 'string') return leftOut.push({ label: base.label, source: base.source, reason: measure });
    const x = xOf(measure, axis);
    if (x === null) return leftOut.push({ label: base.label, source: base.source, reason: GROWING_STATE_REASON });
    return points.push({ ...base, x, score: value });
  };

  for (const result of inputs.results) {
    const scores = Object.fromEntries(Object.entries(result.scores.tasks).map(([task, s]) => [task, s.score])) as Partial<Record<TaskName, number>>;
    if (Object.keys(scores).length === 0) continue; // nothing finished yet: not a scored architecture
    place(
      { id: result.key, label: result.label, source: result.source, table: null, color: result.color, placement: null },
      scores,
      result.architecture,
      'its mad-lab model id does not name registry layers, so its sizes are unknown',
    );
  }
  inputs.tables.forEach((table, tableIndex) => {
    const color = REFERENCE_COLORS[tableIndex % REFERENCE_COLORS.length]!;
    for (const model of table.models) {
      const label = `${model.label} (${table.id === 'published-scores' ? 'paper' : `${table.id}, unofficial`})`;
      const preset = model.preset === null ? undefined : inputs.presetById(model.preset);
      const placement =
        preset === undefined
          ? null
          : `Placed at the sizes of our “${preset.name}” preset (d ${preset.architecture.dim}), counted at ${score === 'mean' ? 'the six tasks’ baselines' : 'this task’s baseline'}` +
            (table.unofficial ? '; the published model has its own size (see the table’s source), so only its score is its own' : ', the paper’s model');
      place(
        { id: `${table.id}:${model.label}`, label, source: 'published', table: table.title, color, placement },
        model.scores,
        preset?.architecture ?? null,
        model.preset === null ? 'we have no preset with its layers, so it has no sizes to be placed at' : `its preset '${model.preset}' is not among configs/presets`,
      );
    }
  });
  return { points, leftOut };
}

/**
 * The Pareto frontier of points where a higher score and a smaller x are better: the points no other
 * point beats on both, in order of x. Ties in x keep the best score only.
 */
export function paretoFrontier<P extends { x: number; score: number }>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.score - a.score);
  const frontier: P[] = [];
  for (const point of sorted) {
    const best = frontier[frontier.length - 1];
    if (best === undefined || point.score > best.score) frontier.push(point);
  }
  return frontier;
}

const csvField = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The plotted points as CSV: one row per point, with its x, score, source, table, whether it is on the frontier, and its placement. */
export function compareCsv(points: readonly ComparePoint[], axis: CompareAxis, score: CompareScore): string {
  const onFrontier = new Set(paretoFrontier(points).map((p) => p.id));
  const header = ['label', 'source', 'table', axis === 'state' ? 'state_per_sequence' : axis === 'parameters' ? 'parameters' : 'flops_per_step', score === 'mean' ? 'mad_score_mean' : `mad_score_${score}`, 'pareto', 'placement'];
  const rows = points.map((p) => [p.label, p.source, p.table ?? '', p.x, p.score, onFrontier.has(p.id), p.placement ?? ''].map(csvField).join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}
