// Which runs can show predictions in the explorer: finished ones whose model was stored (a full
// disk can leave a finished run without one) trained on a setting that draws the same instances as the one on screen, newest first.
import { drawsSameInstances } from '../../state/explorerStore.ts';
import type { RunView } from '../../state/runsStore.ts';
import type { TaskSetting } from '../../tasks/types.ts';

/** A diverged run stores no model: its weights are not finite. */
const PREDICTING_STATUSES: ReadonlySet<RunView['status']> = new Set(['completed', 'early-stopped']);

export function hasPredictions(run: Pick<RunView, 'status' | 'result' | 'saveProblem'>): boolean {
  return PREDICTING_STATUSES.has(run.status) && run.result !== null && run.saveProblem?.what !== 'model';
}

/** `order` is the runs store's list order (newest launch first). */
export function runsWithPredictionsFor(setting: TaskSetting, runs: Readonly<Record<string, RunView>>, order: readonly string[]): RunView[] {
  return order.flatMap((id) => {
    const run = runs[id];
    return run && hasPredictions(run) && drawsSameInstances(run.plan.setting, setting) ? [run] : [];
  });
}

/** How a run is named in the explorer: its list label and its model. */
export function runTitle(run: Pick<RunView, 'label' | 'plan'>): string {
  const model = run.plan.architecture.name ?? run.plan.architecture.layers.map((layer) => layer.type).join(' · ');
  return `${run.label} (${model})`;
}
