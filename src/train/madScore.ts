// MAD scores from results rows, as mad-lab's analysis.py computes them (docs/protocol.md §7): drop every row
// holding a NaN, keep each task setting's best test accuracy over the (lr, weight decay) sweep,
// average those per task without weights, and average the task scores for the overall score.

import { settingName } from '../tasks/settings.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../tasks/types.ts';
import { runDirName, type RunKey } from './runKey.ts';
import { RESULTS_COLUMNS, type ResultsRow } from './types.ts';

/** One finished run: its key (from the run directory name) and its results.csv row. */
export interface ScoredRun {
  key: RunKey;
  row: ResultsRow;
}

/** The sweep point that won a setting. */
export interface SettingBest {
  setting: TaskSetting;
  runDir: string;
  lr: number;
  weightDecay: number;
  testAcc: number;
  /** Runs of this setting that were scored: the sweep points its best was picked from. */
  sweepPoints: number;
}

export interface TaskScore {
  /** Mean of the settings' best test accuracies. */
  score: number;
  /** One per setting with at least one run left after dropping NaN rows, in the order first seen. */
  settings: SettingBest[];
}

export interface MadScores {
  modelId: string;
  /** Only tasks with at least one scored setting appear. */
  tasks: Partial<Record<TaskName, TaskScore>>;
  /** Unweighted mean of the task scores present (mad-lab prints it as the mean across tasks); null if none. */
  mean: number | null;
  /** Run directories dropped because a value of their row is NaN (diverged runs). */
  dropped: string[];
}

/**
 * Why a results row cannot come from a run, or undefined: an accuracy outside [0, 1], a perplexity
 * below 1 or a negative loss. NaN is allowed anywhere: it is how a diverged run is written (and
 * scoring drops it); so is an infinite loss or perplexity.
 */
export function impossibleResults(row: ResultsRow): string | undefined {
  const problems: string[] = [];
  for (const column of RESULTS_COLUMNS) {
    const value = row[column];
    if (Number.isNaN(value)) continue;
    if (column.endsWith('_acc') && !(value >= 0 && value <= 1)) problems.push(`${column} ${value} is not an accuracy in [0, 1]`);
    if (column.endsWith('_ppl') && !(value >= 1)) problems.push(`${column} ${value} is below 1, the least a perplexity can be`);
    if (column.endsWith('_loss') && !(value >= 0)) problems.push(`${column} ${value} is negative, which a cross-entropy cannot be`);
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** Keys that make runs the same setting of the same model: everything but lr and weight decay. */
function settingGroup(key: RunKey): string {
  return [settingName(key.setting), key.batchSize, key.epochs, key.optimizer, key.scheduler, key.modelId].join('|');
}

/**
 * Scores one model's runs. Ties between sweep points keep the first in mad-lab's order, which
 * lists lr and then weight decay in increasing order; runs may come in any order.
 */
export function computeMadScores(runs: readonly ScoredRun[]): MadScores {
  const modelIds = [...new Set(runs.map((r) => r.key.modelId))];
  if (modelIds.length > 1) throw new Error(`MAD scores are per model; these results mix models ${modelIds.join(', ')}: score each model on its own`);
  const dropped: string[] = [];
  const kept: ScoredRun[] = [];
  for (const run of runs) {
    if (RESULTS_COLUMNS.some((column) => Number.isNaN(run.row[column]))) dropped.push(runDirName(run.key));
    else kept.push(run);
  }
  const sweepOrder = [...kept].sort((a, b) => a.key.lr - b.key.lr || a.key.weightDecay - b.key.weightDecay);
  const bestByGroup = new Map<string, ScoredRun>();
  const pointsByGroup = new Map<string, number>();
  for (const run of sweepOrder) {
    const group = settingGroup(run.key);
    pointsByGroup.set(group, (pointsByGroup.get(group) ?? 0) + 1);
    const best = bestByGroup.get(group);
    if (best === undefined || run.row.test_acc > best.row.test_acc) bestByGroup.set(group, run);
  }
  // Report settings in the order the runs came (the protocol's order), not the sweep's.
  const groupsInOrder = [...new Set(kept.map((r) => settingGroup(r.key)))];
  const tasks: MadScores['tasks'] = {};
  for (const task of TASK_NAMES) {
    const settings = groupsInOrder
      .map((group) => ({ best: bestByGroup.get(group)!, sweepPoints: pointsByGroup.get(group)! }))
      .filter(({ best }) => best.key.setting.task === task)
      .map(({ best: { key, row }, sweepPoints }): SettingBest => ({ setting: key.setting, runDir: runDirName(key), lr: key.lr, weightDecay: key.weightDecay, testAcc: row.test_acc, sweepPoints }));
    if (settings.length > 0) tasks[task] = { score: mean(settings.map((s) => s.testAcc)), settings };
  }
  const taskScores = Object.values(tasks).map((t) => t.score);
  return { modelId: modelIds[0] ?? '', tasks, mean: taskScores.length > 0 ? mean(taskScores) : null, dropped };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
