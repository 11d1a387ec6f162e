// One live chart of a run's loss or accuracy: the smoothed step curve and the per-epoch train
// and test means. Fixed height so the page does not jump as runs start, and no animation, since
// points arrive several times a second.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunView } from '../../state/runsStore.ts';
import { OKABE_ITO } from './chartColors.ts';
import { metricSeries, valueRange, type Metric, type SeriesId, type SeriesOptions } from './metricSeries.ts';

const CHART_HEIGHT = 240;

const SERIES_STYLE: Record<SeriesId, { color: string; dashed: boolean; dots: boolean }> = {
  'train-steps': { color: OKABE_ITO[5], dashed: false, dots: false },
  'train-epochs': { color: OKABE_ITO[0], dashed: true, dots: true },
  'test-epochs': { color: OKABE_ITO[1], dashed: false, dots: true },
};

const TITLES: Record<Metric, string> = { loss: 'Loss (cross-entropy)', accuracy: 'Accuracy (macro, as MAD)' };

interface MetricChartProps {
  view: Pick<RunView, 'steps' | 'epochs' | 'totalEpochs'>;
  metric: Metric;
  options: SeriesOptions;
}

export function MetricChart({ view, metric, options }: MetricChartProps) {
  const series = metricSeries(view, metric, options);
  const range = valueRange(series, metric, options.logScale);
  const pointCount = series.reduce((n, s) => n + s.points.length, 0);
  const format = (value: number) => (metric === 'loss' ? value.toPrecision(3) : value.toFixed(3));
  return (
    <figure className="metric-chart" data-testid={`chart-${metric}`} data-points={pointCount}>
      <figcaption>{TITLES[metric]}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#d3d9e0" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, Math.max(1, view.totalEpochs)]}
            allowDecimals={false}
            label={{ value: 'epoch', position: 'insideBottomRight', offset: -2 }}
            tickFormatter={(x: number) => String(x)}
          />
          <YAxis
            type="number"
            dataKey="y"
            scale={options.logScale ? 'log' : 'linear'}
            domain={range ?? ['auto', 'auto']}
            width={56}
            tickFormatter={format}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? format(value) : String(value))}
            labelFormatter={(x) => `epoch ${typeof x === 'number' ? x.toFixed(2) : String(x)}`}
          />
          <Legend verticalAlign="top" height={24} />
          {series.map((s) => {
            const style = SERIES_STYLE[s.id];
            return (
              <Line
                key={s.id}
                data={s.points}
                dataKey="y"
                name={s.label}
                type="linear"
                stroke={style.color}
                strokeWidth={2}
                strokeDasharray={style.dashed ? '5 4' : undefined}
                dot={style.dots ? { r: 3, className: `chart-dot chart-dot-${s.id}` } : false}
                isAnimationActive={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
