// One live chart of a run's loss, accuracy or gradient norm: the smoothed step curve and (for
// loss and accuracy) the per-epoch train and test means. Fixed height so the page does not jump as runs start, and no animation, since
// points arrive several times a second. The y-axis and the legend are sized from the type size
// (larger in presentation mode) rather than from the data, so they fit without moving as it grows.
import { useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunView } from '../../state/runsStore.ts';
import { OKABE_ITO } from './chartColors.ts';
import { useFontSize } from './useFontSize.ts';
import { metricSeries, valueRange, type Metric, type SeriesId, type SeriesOptions } from './metricSeries.ts';

const CHART_HEIGHT = 240;

/** The most characters a tick label takes: "1.000" for accuracy, "0.00123" for a loss or a gradient norm. */
const TICK_LABEL_CHARS: Record<Metric, number> = { loss: 7, accuracy: 5, gradNorm: 7 };
/** A digit's width in ems in the UI's sans-serif faces, rounded up so a label never clips. */
const DIGIT_WIDTH_EM = 0.62;
/** Room for the tick marks and the gap between them and their labels. */
const TICK_MARK_PX = 12;
/** The legend reserves two lines, so it can wrap at large type without covering the plot. */
const LEGEND_LINES = 2;
const LEGEND_LINE_HEIGHT_EM = 1.5;

const SERIES_STYLE: Record<SeriesId, { color: string; dashed: boolean; dots: boolean }> = {
  'train-steps': { color: OKABE_ITO[5], dashed: false, dots: false },
  'train-epochs': { color: OKABE_ITO[0], dashed: true, dots: true },
  'test-epochs': { color: OKABE_ITO[1], dashed: false, dots: true },
};

const TITLES: Record<Metric, string> = { loss: 'Loss (cross-entropy)', accuracy: 'Accuracy (macro, as MAD)', gradNorm: 'Gradient norm (global L2)' };

interface MetricChartProps {
  view: Pick<RunView, 'steps' | 'epochs' | 'totalEpochs'>;
  metric: Metric;
  options: SeriesOptions;
}

export function MetricChart({ view, metric, options }: MetricChartProps) {
  const series = metricSeries(view, metric, options);
  const range = valueRange(series, metric, options.logScale);
  const pointCount = series.reduce((n, s) => n + s.points.length, 0);
  const format = (value: number) => (metric === 'accuracy' ? value.toFixed(3) : value.toPrecision(3));
  const figureRef = useRef<HTMLElement>(null);
  const fontSize = useFontSize(figureRef);
  const axisWidth = Math.ceil(TICK_LABEL_CHARS[metric] * DIGIT_WIDTH_EM * fontSize + TICK_MARK_PX);
  const legendHeight = Math.ceil(LEGEND_LINES * LEGEND_LINE_HEIGHT_EM * fontSize);
  return (
    <figure ref={figureRef} className="metric-chart" data-testid={`chart-${metric}`} data-points={pointCount}>
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
            width={axisWidth}
            tickFormatter={format}
          />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? format(value) : String(value))}
            labelFormatter={(x) => `epoch ${typeof x === 'number' ? x.toFixed(2) : String(x)}`}
          />
          <Legend verticalAlign="top" height={legendHeight} />
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
