// One demo: what it shows in plain words, how long it trains on this adapter (measured), a big Run button, each model's live training curves
// side by side, and a one-line reading of the outcome when every run has finished. Every region
// has its final size from the start, so nothing below it moves while the charts fill.
import { useMemo, useState, type CSSProperties } from 'react';
import type { Demo } from './demosFile.ts';
import { useRunsStore } from '../../state/runsStore.ts';
import type { RunResult } from '../../train/types.ts';
import type { RunController } from '../../runs/runController.ts';
import { formatCount } from '../builder/formatNumbers.ts';
import { useWebGpuSupport } from '../layout/useWebGpuSupport.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import { DemoModelPanel } from './DemoModelPanel.tsx';
import { outcomeLine } from './demoOutcome.ts';
import type { DemoSize } from './demoPlans.ts';
import { latestDemoRuns } from './demoRuns.ts';
import { launchDemo } from './launchDemo.ts';
import { runIsActive } from './runStatusText.ts';
import { ensureGpuChecked, gateBlockMessage } from '../../runs/gpuCheckGate.ts';
import { GpuGateNotice } from '../gpuCheck/GpuGateNotice.tsx';
import { gateEstimateText } from '../gpuCheck/adapterEstimate.ts';
import { useGpuGate } from '../gpuCheck/useGpuGate.ts';
import { demoWorkload } from './demosCompute.ts';

interface DemoCardProps {
  demo: Demo;
  size: DemoSize;
  /** Null until the page's run controller has started; the button waits for it. */
  controller: RunController | null;
}

function settingSummary(demo: Demo): string {
  const { setting, training } = demo;
  const parts = [
    TASK_DESCRIPTIONS[setting.task].title,
    `vocabulary ${formatCount(setting.vocabSize)}`,
    `length ${setting.seqLen}`,
    `${formatCount(setting.numTrainExamples)} training sequences`,
    `${training.epochs} epochs`,
  ];
  return parts.join(' · ');
}

export function DemoCard({ demo, size, controller }: DemoCardProps) {
  const runs = useRunsStore((state) => state.runs);
  const demoRuns = useMemo(() => latestDemoRuns(runs, demo), [runs, demo]);
  const [starting, setStarting] = useState(false);
  const [launchProblem, setLaunchProblem] = useState<string | null>(null);
  const busy = starting || demoRuns.some(runIsActive);
  const results = demoRuns.map((run) => run?.result ?? null);
  const finished = results.every((result): result is RunResult => result !== null);
  const ended = demoRuns.every((run) => run !== null && !runIsActive(run));
  const titleId = `demo-${demo.id}-title`;
  const support = useWebGpuSupport();
  // Never train on an adapter whose kernels compute wrong results: the quick GPU check decides.
  const gate = useGpuGate();
  const canTrain = support.status === 'available' && gateBlockMessage(gate) === null;
  // The time of the runs this card starts, at this adapter's measured speed.
  const workload = useMemo(() => demoWorkload(demo, size), [demo, size]);

  const run = () => {
    if (busy || controller === null || !canTrain) return;
    setStarting(true);
    setLaunchProblem(null);
    ensureGpuChecked()
      .then((verdict) => (gateBlockMessage(verdict) === null ? launchDemo(controller, demo, size) : undefined))
      .catch((error: unknown) => setLaunchProblem(error instanceof Error ? error.message : String(error)))
      .finally(() => setStarting(false));
  };

  // Short enough for one line on a laptop in presentation mode; the box keeps two lines' height.
  let outcome = 'Not run yet: the result appears here when the models finish.';
  if (support.status === 'unavailable') outcome = 'Training needs WebGPU, which this browser lacks: the note at the foot of the page says why.';
  else if (finished) outcome = outcomeLine(demo.models.map((model, i) => ({ label: model.label, result: results[i]! })));
  else if (busy) outcome = 'Training: the result appears here when the models finish.';
  else if (ended) outcome = 'Not every model finished (its status says why): run the demo again.';

  return (
    <article className="demo-card" aria-labelledby={titleId} data-testid={`demo-${demo.id}`}>
      <div className="demo-card-head">
        <h2 id={titleId}>{demo.title}</h2>
        <button
          type="button"
          className="button button-primary demo-run-button"
          onClick={run}
          aria-disabled={busy || controller === null || !canTrain}
          aria-describedby={`demo-${demo.id}-outcome`}
        >
          {busy ? 'Running…' : ended ? 'Run again' : 'Run demo'}
        </button>
      </div>
      <p className="demo-explanation">{demo.explanation}</p>
      <p className="demo-expectation">
        <strong>What to expect: </strong>
        {demo.expectation}
      </p>
      <p className="demo-setting">
        {settingSummary(demo)}
        {support.status === 'available' && (
          <span data-testid="demo-estimate"> · training time {gateEstimateText(workload, gate)}</span>
        )}
      </p>
      <div className="demo-models" style={{ '--demo-model-count': demo.models.length } as CSSProperties}>
        {demo.models.map((model, i) => (
          <DemoModelPanel key={model.label} demo={demo} model={model} run={demoRuns[i] ?? null} />
        ))}
      </div>
      <p id={`demo-${demo.id}-outcome`} className="demo-outcome" role="status" data-testid="demo-outcome" data-finished={finished}>
        {outcome}
      </p>
      {support.status === 'available' && <GpuGateNotice gate={gate} />}
      {launchProblem && (
        <p className="classroom-note classroom-problem" role="alert">
          The demo could not start: {launchProblem}
        </p>
      )}
    </article>
  );
}
