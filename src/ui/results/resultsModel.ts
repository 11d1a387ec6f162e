// The Runs page's results, derived from the runs: runs are grouped by architecture (the whole
// spec, so two widths of one layer stack are two entries), and each group's finished runs are
// scored as mad-lab's analysis does (src/train/madScore.ts): per task, the best test accuracy of
// each setting over its sweep, averaged over the settings scored so far. The radar fills in as
// each task gets its first finished run. Runs imported from a mad-lab logs directory are scored the
// same way, grouped by mad-lab's model id (all a run's folder name says of its model).

import { modelId, type ArchitectureSpec } from '../../model/architecture.ts';
import { architectureOfModelId, runsByModel, type ImportedRun } from '../../share/madlabImport.ts';
import type { RunView } from '../../state/runsStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { computeMadScores, type MadScores, type ScoredRun } from '../../train/madScore.ts';
import { runKeyOf } from '../../train/runKey.ts';
import { canonicalJson } from '../../train/canonicalJson.ts';
import { seriesColor } from '../charts/chartColors.ts';

export interface TaskResult {
  /** Runs of this task for this architecture, and how many have a result. */
  runs: number;
  finished: number;
  /** Best test accuracy of any finished, non-diverged run; null when none. */
  bestTestAccuracy: number | null;
  /** MAD score over the settings scored so far; null when none. */
  madScore: number | null;
  settingsScored: number;
}

export interface ArchitectureResults {
  key: string;
  label: string;
  color: string;
  /** 'lab': trained here; 'mad-lab': imported from a logs directory. */
  source: 'lab' | 'mad-lab';
  /** The model; for an imported one, what its model id stands for (null when it is not registry shorthands). */
  architecture: ArchitectureSpec | null;
  tasks: Record<TaskName, TaskResult>;
  scores: MadScores;
}

/** A run as the results count it: its task, and its scored row once it has finished. */
interface CountedRun {
  task: TaskName;
  scored: ScoredRun | null;
}

/** Per task and overall, the counts and MAD scores of one model's runs. */
function resultsOf(group: readonly CountedRun[]): Pick<ArchitectureResults, 'tasks' | 'scores'> {
  const finished = group.flatMap((run) => (run.scored === null ? [] : [run.scored]));
  const scores = computeMadScores(finished);
  const tasks = Object.fromEntries(
    TASK_NAMES.map((task): [TaskName, TaskResult] => {
      const ofTask = group.filter((run) => run.task === task);
      const accuracies = ofTask.map((run) => run.scored?.row.test_acc).filter((a): a is number => a !== undefined && Number.isFinite(a));
      const score = scores.tasks[task];
      return [
        task,
        {
          runs: ofTask.length,
          finished: ofTask.filter((run) => run.scored !== null).length,
          bestTestAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : null,
          madScore: score?.score ?? null,
          settingsScored: score?.settings.length ?? 0,
        },
      ];
    }),
  ) as Record<TaskName, TaskResult>;
  return { tasks, scores };
}

/** A stable identity of an architecture: its canonical JSON. */
export function architectureKey(architecture: ArchitectureSpec): string {
  return canonicalJson(architecture);
}

export function architectureLabel(architecture: ArchitectureSpec): string {
  return architecture.name ?? `${modelId(architecture)}, d ${architecture.dim}`;
}

/** One entry per architecture, in the order each first appears among `runs` (oldest first). */
export function architectureResults(runs: readonly RunView[]): ArchitectureResults[] {
  const groups = new Map<string, RunView[]>();
  for (const run of [...runs].sort((a, b) => a.createdAt - b.createdAt)) {
    const key = architectureKey(run.plan.architecture);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.entries()].map(([key, group], index) => {
    const architecture = group[0]!.plan.architecture;
    const counted = group.map((run): CountedRun => ({ task: run.plan.setting.task, scored: run.result === null ? null : { key: runKeyOf(run.plan), row: run.result.row } }));
    return { key, label: architectureLabel(architecture), color: seriesColor(index), source: 'lab', architecture, ...resultsOf(counted) };
  });
}

/**
 * One entry per model id among runs imported from mad-lab, in the order first seen, coloured after
 * the lab's own `colorsTaken` entries so the two never share a colour.
 */
export function importedResults(runs: readonly ImportedRun[], colorsTaken: number): ArchitectureResults[] {
  return [...runsByModel(runs).entries()].map(([id, group], index) => ({
    key: `mad-lab:${id}`,
    label: `${id} (imported from mad-lab)`,
    color: seriesColor(colorsTaken + index),
    source: 'mad-lab',
    architecture: architectureOfModelId(id),
    ...resultsOf(group.map((run) => ({ task: run.key.setting.task, scored: run }))),
  }));
}
