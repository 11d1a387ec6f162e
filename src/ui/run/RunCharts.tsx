// The live loss, gradient-norm and accuracy charts of the selected run (the newest when none is
// selected), with the smoothing of the step curves and a log scale shared by every chart. The
// gradient norm sits beside the loss: a norm that explodes or collapses explains a loss that stalls.
import { useId } from 'react';
import { useRunsStore } from '../../state/runsStore.ts';
import { MetricChart } from '../charts/MetricChart.tsx';

export function RunCharts() {
  const order = useRunsStore((state) => state.order);
  const selectedRunId = useRunsStore((state) => state.selectedRunId) ?? order[0] ?? null;
  const run = useRunsStore((state) => (selectedRunId === null ? undefined : state.runs[selectedRunId]));
  const smoothing = useRunsStore((state) => state.chartSmoothing);
  const logScale = useRunsStore((state) => state.chartLogScale);
  const setSmoothing = useRunsStore((state) => state.setChartSmoothing);
  const setLogScale = useRunsStore((state) => state.setChartLogScale);
  const smoothingId = useId();
  const options = { smoothing, logScale };

  return (
    <section className="run-charts panel" aria-labelledby="run-charts-title">
      <div className="run-charts-head">
        <h2 id="run-charts-title">{run ? run.label : 'Charts'}</h2>
        <div className="chart-options">
          <label htmlFor={smoothingId}>Smoothing {smoothing.toFixed(2)}</label>
          <input id={smoothingId} type="range" min={0} max={0.95} step={0.05} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
          <label className="checkbox-field">
            <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
      </div>
      {run ? (
        <div className="chart-pair">
          <MetricChart view={run} metric="loss" options={options} />
          <MetricChart view={run} metric="gradNorm" options={options} />
          <MetricChart view={run} metric="accuracy" options={options} />
        </div>
      ) : (
        <p className="empty-note chart-empty">The loss, gradient norm and accuracy of a run appear here as it trains.</p>
      )}
    </section>
  );
}
