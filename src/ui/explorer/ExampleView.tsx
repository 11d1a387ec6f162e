// One example on screen: view toggle, "another example", the predictions of a finished run, stats,
// legend and the token grid.
import { useId, useMemo } from 'react';
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
import { usePredictions } from './usePredictions.ts';

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
  const predictions = usePredictions(predictionSource, instance);
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
      </div>
      {predictionSource && <PredictionSummary run={predictionRun} state={predictions} />}
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
