// One example on screen: view toggle, "another example", the predictions of a finished run or of a
// loaded weights file, stats, legend and the token grid.
import { useEffect, useId, useMemo, useState } from 'react';
import { currentSetting, useExplorerStore } from '../../state/explorerStore.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import type { Split } from '../../tasks/stream.ts';
import { ChoiceChips } from './ChoiceChips.tsx';
import { countMarks } from './predictionMarks.ts';
import { PredictionPicker } from './PredictionPicker.tsx';
import { PredictionSummary } from './PredictionSummary.tsx';
import './predictions.css';
import { scoredPositions } from './scoredPositions.ts';
import { SequenceStats } from './SequenceStats.tsx';
import { TASK_DESCRIPTIONS } from './taskDescriptions.ts';
import { TokenGrid } from './TokenGrid.tsx';
import { TokenLegend } from './TokenLegend.tsx';
import { TokenSequenceText } from './TokenSequenceText.tsx';
import { countRoles } from './tokenRoles.ts';
import { useKeyboardShortcut } from './useKeyboardShortcut.ts';
import { LoadWeightsButton } from './LoadWeightsButton.tsx';
import { usePredictions, useWeightsPredictions, type PredictionState } from './usePredictions.ts';
import { weightsFitProblem } from './weightsFit.ts';
import { releaseWeights } from '../../runs/weightsClient.ts';
import type { LoadedWeights } from '../../worker/weightsApi.ts';

const VIEW_CHOICES = [
  { value: 'test', label: 'Test view' },
  { value: 'train', label: 'Training view' },
] as const satisfies readonly { value: Split; label: string }[];

const NEXT_EXAMPLE_KEY = 'n';

export function ExampleView() {
  const task = useExplorerStore((state) => state.task);
  const setting = useExplorerStore(currentSetting);
  const view = useExplorerStore((state) => state.view);
  const example = useExplorerStore((state) => state.example);
  const exampleNumber = useExplorerStore((state) => state.exampleNumber);
  const showView = useExplorerStore((state) => state.showView);
  const drawAnotherExample = useExplorerStore((state) => state.drawAnotherExample);
  const predictionSource = useExplorerStore((state) => state.predictionSource);
  const predictionRun = useRunsStore((state) => (predictionSource ? state.runs[predictionSource.runId] : undefined));
  const summaryId = useId();

  const instance = example[view];
  // A loaded weights file's model predicts the setting on screen until a run's predictions are asked for.
  const [weights, setWeights] = useState<{ loaded: LoadedWeights } | { refused: string } | null>(null);
  const loaded = weights !== null && 'loaded' in weights && predictionSource === null ? weights.loaded : null;
  const fitProblem = loaded === null ? null : weightsFitProblem(loaded, setting);
  const runPredictions = usePredictions(predictionSource, instance);
  const weightsPredictions = useWeightsPredictions(loaded !== null && fitProblem === null ? loaded.key : null, instance);
  const predictions: PredictionState = loaded === null ? runPredictions : fitProblem !== null ? { status: 'failed', reason: fitProblem } : weightsPredictions;
  const shownKey = weights !== null && 'loaded' in weights ? weights.loaded.key : null;
  useEffect(() => (shownKey === null ? undefined : () => releaseWeights(shownKey)), [shownKey]);
  useEffect(() => {
    if (predictionSource !== null) setWeights(null);
  }, [predictionSource]);
  const marks = predictions.status === 'ready' ? predictions.marks : null;
  const predictionCounts = useMemo(() => (marks ? countMarks(marks) : null), [marks]);
  const scoredCount = useMemo(() => scoredPositions(instance).length, [instance]);
  const roleCounts = useMemo(() => countRoles(instance.roles), [instance]);
  const tokenDigits = String(setting.vocabSize - 1).length;

  useKeyboardShortcut(NEXT_EXAMPLE_KEY, drawAnotherExample);

  return (
    <section className="example-view" aria-labelledby={`${summaryId}-heading`}>
      <div className="example-toolbar">
        <h2 id={`${summaryId}-heading`} className="example-heading">
          Example {exampleNumber}
        </h2>
        <ChoiceChips<Split> name="view" choices={VIEW_CHOICES} selected={view} onSelect={showView} />
        <button
          type="button"
          className="button button-primary"
          onClick={() => drawAnotherExample()}
          title={`Draw the next instance from this setting's stream (shortcut: ${NEXT_EXAMPLE_KEY.toUpperCase()})`}
          aria-keyshortcuts={NEXT_EXAMPLE_KEY}
        >
          Another example <kbd>{NEXT_EXAMPLE_KEY.toUpperCase()}</kbd>
        </button>
        <PredictionPicker setting={setting} />
        <LoadWeightsButton
          onLoaded={(next) => {
            useExplorerStore.getState().hidePredictions();
            setWeights({ loaded: next });
          }}
          onRefused={(reason) => setWeights({ refused: reason })}
        />
        {loaded && (
          <button type="button" className="button" onClick={() => setWeights(null)}>
            Hide {loaded.fileName}
          </button>
        )}
      </div>
      {predictionSource && <PredictionSummary run={predictionRun} state={predictions} />}
      {loaded && <PredictionSummary run={undefined} whose={`the weights in ${loaded.fileName}`} state={predictions} />}
      {weights !== null && 'refused' in weights && (
        <p className="prediction-summary" role="alert" data-testid="weights-file-problem">
          Weights not loaded: {weights.refused}
        </p>
      )}
      <p className="view-note">
        {view === 'test'
          ? 'Test view: only outlined positions count toward accuracy.'
          : TASK_DESCRIPTIONS[task].trainingNote}
      </p>
      <div className="example-facts">
        <SequenceStats setting={setting} inputLength={instance.inputs.length} scoredCount={scoredCount} />
        <TokenLegend roleCounts={roleCounts} predictionCounts={predictionCounts} />
      </div>
      <div role="group" aria-label={`Example ${exampleNumber}, ${view === 'test' ? 'test' : 'training'} view`} aria-describedby={summaryId}>
        <TokenGrid instance={instance} tokenDigits={tokenDigits} marks={marks} />
        <TokenSequenceText instance={instance} summaryId={summaryId} marks={marks} />
      </div>
    </section>
  );
}
