// Offers the predictions of finished runs trained on this setting's instances: a button when one
// run qualifies, a select when several do. Nothing shows while no run qualifies.
import { useId } from 'react';
import { useExplorerStore } from '../../state/explorerStore.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import { runsWithPredictionsFor, runTitle } from './predictionRuns.ts';

interface PredictionPickerProps {
  setting: TaskSetting;
}

export function PredictionPicker({ setting }: PredictionPickerProps) {
  const runs = useRunsStore((state) => state.runs);
  const order = useRunsStore((state) => state.order);
  const source = useExplorerStore((state) => state.predictionSource);
  const showPredictions = useExplorerStore((state) => state.showPredictions);
  const hidePredictions = useExplorerStore((state) => state.hidePredictions);
  const selectId = useId();
  const candidates = runsWithPredictionsFor(setting, runs, order);
  if (candidates.length === 0 && !source) return null;

  const show = (runId: string) => {
    const run = runs[runId];
    if (run) showPredictions(run.runId, run.plan.setting);
  };

  if (candidates.length <= 1) {
    const run = candidates[0];
    return source || !run ? (
      <button type="button" className="button" onClick={hidePredictions}>
        Hide predictions
      </button>
    ) : (
      <button type="button" className="button" onClick={() => show(run.runId)}>
        Show predictions of {runTitle(run)}
      </button>
    );
  }
  return (
    <div className="select-field prediction-picker">
      <label htmlFor={selectId}>Show predictions of</label>
      <select id={selectId} value={source?.runId ?? ''} onChange={(event) => (event.target.value ? show(event.target.value) : hidePredictions())}>
        <option value="">no run</option>
        {candidates.map((run) => (
          <option key={run.runId} value={run.runId}>
            {runTitle(run)}
          </option>
        ))}
      </select>
    </div>
  );
}
