// One line above the grid while predictions are shown: whose they are, and how many scored
// positions of this instance the model got right (or why there are none). Announced politely.
import type { RunView } from '../../state/runsStore.ts';
import { countMarks } from './predictionMarks.ts';
import { runTitle } from './predictionRuns.ts';
import type { PredictionState } from './usePredictions.ts';

interface PredictionSummaryProps {
  run: RunView | undefined;
  state: PredictionState;
  /** Whose predictions, when they are not a run's (a loaded weights file). */
  whose?: string;
}

export function PredictionSummary({ run, state, whose: given }: PredictionSummaryProps) {
  const whose = given ?? (run ? runTitle(run) : 'a removed run');
  const where = given === undefined ? 'on its test split' : 'on this example';
  let text: string;
  if (state.status === 'ready') {
    const { right, scored } = countMarks(state.marks);
    const accuracy = scored === 0 ? '' : ` (accuracy ${(right / scored).toFixed(3)})`;
    text = `Predictions of ${whose} ${where}: ${right} of ${scored} scored positions right${accuracy}.`;
  } else if (state.status === 'failed') {
    text = `No predictions of ${whose}: ${state.reason}`;
  } else {
    text = `Computing the predictions of ${whose}…`;
  }
  return (
    <p className="prediction-summary" role="status" data-testid="prediction-summary" data-state={state.status}>
      {text}
    </p>
  );
}
