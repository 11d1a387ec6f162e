// The lines of a run's loss, accuracy or gradient-norm chart: the coalesced training steps
// (smoothed), and for loss and accuracy the per-epoch means of the training and test passes
// (docs/protocol.md §6), all against epochs, so the step curve and the epoch points share one axis. The
// gradient norm exists for training steps only. On a log scale, values ≤ 0 have no place and are left out.

import type { RunView } from '../../state/runsStore.ts';
import { emaSmooth } from './smoothing.ts';

export type Metric = 'loss' | 'accuracy' | 'gradNorm';

export interface ChartPoint {
  x: number;
  y: number;
}

export type SeriesId = 'train-steps' | 'train-epochs' | 'test-epochs';

export interface ChartSeries {
  id: SeriesId;
  label: string;
  points: ChartPoint[];
}

export interface SeriesOptions {
  /** EMA weight for the step curve, in [0, 1). */
  smoothing: number;
  logScale: boolean;
}

export function metricSeries(view: Pick<RunView, 'steps' | 'epochs'>, metric: Metric, options: SeriesOptions): ChartSeries[] {
  const smoothed = emaSmooth(
    view.steps.map((p) => p[metric]),
    options.smoothing,
  );
  const keep = (point: ChartPoint) => Number.isFinite(point.y) && (!options.logScale || point.y > 0);
  const steps: ChartSeries = { id: 'train-steps', label: 'train (steps)', points: view.steps.map((p, i) => ({ x: p.x, y: smoothed[i]! })).filter(keep) };
  if (metric === 'gradNorm') return [steps];
  const epochPoints = (split: 'train' | 'test') =>
    view.epochs.map((record) => ({ x: record.epoch + 1, y: record[split][metric] })).filter(keep);
  return [
    steps,
    { id: 'train-epochs', label: 'train (epoch mean)', points: epochPoints('train') },
    { id: 'test-epochs', label: 'test (epoch mean)', points: epochPoints('test') },
  ];
}

/**
 * The y range that shows every point: accuracy on a linear scale spans [0, 1]; otherwise the
 * points' range rounded outwards (with 10 % room on a log scale), or null when there are none.
 */
export function valueRange(series: readonly ChartSeries[], metric: Metric, logScale: boolean): [number, number] | null {
  if (metric === 'accuracy' && !logScale) return [0, 1];
  const values = series.flatMap((s) => s.points.map((p) => p.y));
  if (values.length === 0) return null;
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (logScale) return [low / 1.1, high * 1.1];
  // Round outwards to a step of 1, 2 or 5 × 10^k so the axis ticks are round numbers.
  const span = Math.max(high - low, Math.abs(high) * 0.01, 1e-6);
  const magnitude = 10 ** Math.floor(Math.log10(span));
  const ratio = span / magnitude;
  const step = magnitude * (ratio < 2 ? 0.2 : ratio < 5 ? 0.5 : 1);
  return [Math.max(0, Math.floor(low / step) * step), Math.ceil(high / step) * step];
}
