// One model of a demo: its name, size and standing, and its live loss and accuracy charts. Before
// the demo runs the charts are drawn empty at their full size, so starting it moves nothing.
import { useMemo } from 'react';
import type { Demo, DemoModel } from './demosFile.ts';
import { modelId } from '../../model/architecture.ts';
import { countModel } from '../../model/counting.ts';
import type { RunView } from '../../state/runsStore.ts';
import { formatCount } from '../builder/formatNumbers.ts';
import { MetricChart } from '../charts/MetricChart.tsx';
import type { SeriesOptions } from '../charts/metricSeries.ts';
import { runStatusText } from './runStatusText.ts';

/** Light smoothing: a demo's step curve is short, and the room should see it move. */
const CHART_OPTIONS: SeriesOptions = { smoothing: 0.6, logScale: false };

interface DemoModelPanelProps {
  demo: Demo;
  model: DemoModel;
  run: RunView | null;
}

export function DemoModelPanel({ demo, model, run }: DemoModelPanelProps) {
  const { architecture } = model;
  const { setting } = demo;
  const parameters = useMemo(
    () => countModel(architecture, { vocabSize: setting.vocabSize, maxLength: setting.seqLen, task: setting.task }).total,
    [architecture, setting],
  );
  const view = run ?? { steps: [], epochs: [], totalEpochs: demo.training.epochs };
  const headingId = `demo-${demo.id}-${model.label}-heading`.replace(/\s+/g, '-');
  return (
    <section className="demo-model" aria-labelledby={headingId} data-testid={`demo-model-${model.label}`}>
      <h3 id={headingId}>
        <span className="demo-model-label">{model.label}</span> {architecture.name ?? modelId(architecture)}
      </h3>
      <p className="demo-model-facts">
        <span>
          {modelId(architecture)}, width {architecture.dim}, {formatCount(parameters)} parameters
        </span>
        <span className="demo-model-status" data-status={run?.status ?? 'none'}>
          {runStatusText(run)}
        </span>
      </p>
      <div className="demo-charts">
        <MetricChart view={view} metric="accuracy" options={CHART_OPTIONS} />
        <MetricChart view={view} metric="loss" options={CHART_OPTIONS} />
      </div>
    </section>
  );
}
