// The width sweeps' chart: per task, test accuracy against state per sequence, one point per
// finished width, the widths of one sweep joined by a line in the sweep's colour, as the
// synthetic-recall literature plots recall against state size. Attention is placed at its KV cache
// at the sweep's sequence length (widthSweepModel.ts says why). Exports as PNG, SVG and CSV.
import { useMemo, useRef } from 'react';
import { CartesianGrid, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useRunsStore } from '../../state/runsStore.ts';
import { TASK_NAMES } from '../../tasks/types.ts';
import { seriesColor } from '../charts/chartColors.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';
import { ChartExportButtons } from './ChartExportButtons.tsx';
import { formatCount, logAxis } from './compareFormat.ts';
import { widthSweepCsv, widthSweepSeries, type WidthSweepSeries } from './widthSweepModel.ts';

function TaskChart({ task, series }: { task: string; series: readonly WidthSweepSeries[] }) {
  const figure = useRef<HTMLElement>(null);
  const points = series.reduce((n, s) => n + s.points.length, 0);
  const states = series.flatMap((s) => s.points.map((p) => p.state));
  const log = states.length > 0 && states.every((state) => state > 0) ? logAxis(Math.min(...states), Math.max(...states)) : null;
  const title = TASK_DESCRIPTIONS[task as keyof typeof TASK_DESCRIPTIONS]?.title ?? task;
  return (
    <div className="width-sweep-task">
      <h3>{title}</h3>
      <figure ref={figure} className="compare-figure" data-testid="width-sweep-chart" data-task={task} data-points={points}>
        <ResponsiveContainer width="100%" height={320}>
          <ScatterChart margin={{ top: 20, right: 32, bottom: 32, left: 12 }}>
            <CartesianGrid stroke="#e3e7ec" />
            <XAxis
              type="number"
              dataKey="state"
              name="State per sequence"
              scale={log ? 'log' : 'linear'}
              domain={log ? log.domain : [0, 'auto']}
              ticks={log?.ticks}
              tickFormatter={(value: number) => formatCount(value)}
              label={{ value: 'State per sequence (floats)', position: 'insideBottom', offset: -20 }}
            />
            <YAxis type="number" dataKey="accuracy" name="Test accuracy" domain={[0, 1]} tickCount={6} label={{ value: 'Test accuracy', angle: -90, position: 'insideLeft', offset: 8 }} />
            <Tooltip formatter={(value, name) => (name === 'State per sequence' && typeof value === 'number' ? formatCount(value) : typeof value === 'number' ? value.toFixed(3) : String(value))} />
            {series.map((s, i) => (
              <Scatter
                key={s.sweepId}
                name={s.label}
                data={s.points}
                fill={seriesColor(i)}
                line={{ stroke: seriesColor(i), strokeWidth: 2 }}
                lineType="joint"
                className="width-sweep-series"
                shape={(props: { cx?: number; cy?: number }) => <circle className="width-point" cx={props.cx} cy={props.cy} r={6} fill={seriesColor(i)} stroke="#ffffff" />}
                isAnimationActive={false}
              >
                <LabelList dataKey="dim" position="top" offset={9} formatter={(value) => `d ${String(value)}`} fill="#2b3138" fontSize={11} />
              </Scatter>
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      </figure>
      <ChartExportButtons figure={figure} baseName={`width-sweep-${task}`} csv={() => widthSweepCsv(series)} what={`the ${title} width sweep chart`} />
    </div>
  );
}

export function WidthSweepSection() {
  const sweeps = useRunsStore((state) => state.sweeps);
  const runs = useRunsStore((state) => state.runs);
  const series = useMemo(() => widthSweepSeries(Object.values(sweeps), runs), [sweeps, runs]);
  const tasks = TASK_NAMES.filter((task) => series.some((s) => s.task === task));
  return (
    <section className="panel width-sweeps" aria-labelledby="width-sweeps-title">
      <h2 id="width-sweeps-title">Width sweeps: accuracy against state size</h2>
      {series.length === 0 ? (
        <p className="empty-note">
          No width sweep yet. On the <a href="#/runs">Runs page</a>, choose “Width sweep”, list a few widths and press Run: each finished width becomes a point here.
        </p>
      ) : (
        <>
          <p className="table-note">
            One point per finished width: its best test accuracy against the model’s state per sequence at the sweep’s setting.
            {series.some((s) => s.kvCache) && ' Attention has no fixed state: it is placed at its KV cache at the setting’s length, 2 × keys seen × width per attention layer.'}
          </p>
          {tasks.map((task) => (
            <TaskChart key={task} task={task} series={series.filter((s) => s.task === task)} />
          ))}
          <ul className="compare-left-out">
            {series.flatMap((s) => [
              ...(s.pending > 0 ? [<li key={`${s.sweepId}-pending`}>{`${s.label}: ${s.pending} width${s.pending === 1 ? '' : 's'} still training or queued.`}</li>] : []),
              ...s.notPlaced.map((n) => <li key={`${s.sweepId}-${n.label}`}>{`${n.label}: not placed, ${n.reason}.`}</li>),
            ])}
          </ul>
        </>
      )}
    </section>
  );
}
