// The Runs page's results, derived from the runs: runs are grouped by architecture (the whole
// spec, so two widths of one layer stack are two entries), and each group's finished runs are
// scored as mad-lab's analysis does (src/train/madScore.ts): per task, the best test accuracy of
// each setting over its sweep, averaged over the settings scored so far. The radar fills in as
// each task gets its first finished run.

import { modelId, type ArchitectureSpec } from '../../model/architecture.ts';
import type { RunView } from '../../state/runsStore.ts';
import { TASK_NAMES, type TaskName } from '../../tasks/types.ts';
import { computeMadScores, type MadScores } from '../../train/madScore.ts';
import { runKeyOf } from '../../train/runKey.ts';
import { canonicalJson } from '../../worker/checkpointRecord.ts';
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
  architecture: ArchitectureSpec;
  tasks: Record<TaskName, TaskResult>;
  scores: MadScores;
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
    const finished = group.filter((run) => run.result !== null);
    const scores = computeMadScores(finished.map((run) => ({ key: runKeyOf(run.plan), row: run.result!.row })));
    const tasks = Object.fromEntries(
      TASK_NAMES.map((task): [TaskName, TaskResult] => {
        const ofTask = group.filter((run) => run.plan.setting.task === task);
        const accuracies = ofTask.map((run) => run.result?.row.test_acc).filter((a): a is number => a !== undefined && Number.isFinite(a));
        const score = scores.tasks[task];
        return [
          task,
          {
            runs: ofTask.length,
            finished: ofTask.filter((run) => run.result !== null).length,
            bestTestAccuracy: accuracies.length > 0 ? Math.max(...accuracies) : null,
            madScore: score?.score ?? null,
            settingsScored: score?.settings.length ?? 0,
          },
        ];
      }),
    ) as Record<TaskName, TaskResult>;
    return { key, label: architectureLabel(architecture), color: seriesColor(index), architecture, tasks, scores };
  });
}
