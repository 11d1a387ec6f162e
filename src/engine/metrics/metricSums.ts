// Running metric sums kept on the GPU (shaders/loss/metrics_accumulate.wgsl): every step adds
// its batch's loss, macro and micro accuracy and perplexity, weighted by the batch's size (its
// real rows, written per step: the last batch of an epoch is partial), so the epoch value is the
// batch-size-weighted mean of per-batch values, as Lightning logs them (docs/protocol.md §6). The host reads
// the sums back every N steps and clears them; sums of several reads add up (addMetricSums).

import { bind, type Graph } from '../graph.ts';
import type { CrossEntropyCounters } from '../ops/crossEntropy/crossEntropy.ts';
import { shaderSource } from '../shaderSource.ts';
import type { Tensor } from '../tensor.ts';
import { packUniform } from '../uniform.ts';

/** Slots of the [8] f32 sums, in order. */
export const METRIC_SUMS = [
  'weightedLoss',
  'weightedMacroAccuracy',
  'weightedMicroAccuracy',
  'weightedPerplexity',
  'weight',
  'scoredPositions',
  'correctPositions',
  'nonFiniteBatches',
] as const;

export type MetricSums = Record<(typeof METRIC_SUMS)[number], number>;

/** Means over the batches since the last read. */
export interface MetricMeans {
  loss: number;
  macroAccuracy: number;
  microAccuracy: number;
  perplexity: number;
  /** Sum of batch weights (sequences) that the means cover. */
  weight: number;
  /** Batches whose loss was NaN or infinite (not part of the means): the run diverged. */
  nonFiniteBatches: number;
  /** The sums these means come from, to combine several reads exactly. */
  sums: MetricSums;
}

/**
 * Plans the sums tensor and records the accumulate launch, after the batch's loss and counters
 * are complete. batchWeight: [1] f32, the batch's weight, written before each step.
 */
export function accumulateMetrics(
  g: Graph,
  loss: Tensor,
  counters: CrossEntropyCounters,
  batchWeight: Tensor,
  sums: Tensor = g.metric([METRIC_SUMS.length], 'f32', 'metric sums'),
): Tensor {
  if (batchWeight.size !== 1 || batchWeight.dtype !== 'f32') throw new Error(`accumulateMetrics: the batch weight must be [1] f32, got ${batchWeight}`);
  const vocab = counters.perClass.size / 3;
  g.launch({
    label: 'metrics accumulate',
    source: shaderSource('loss/metrics_accumulate.wgsl'),
    entryPoint: 'main',
    constants: { WG: 64 },
    bindings: [
      bind(loss),
      bind(counters.perClass),
      bind(counters.totals),
      bind(sums),
      bind(batchWeight),
      { kind: 'uniform', data: packUniform([['u32', vocab]]) },
    ],
    workgroups: [1, 1, 1],
  });
  return sums;
}

export function readMetricSums(values: ArrayLike<number>): MetricSums {
  const out = {} as MetricSums;
  METRIC_SUMS.forEach((name, i) => (out[name] = values[i]!));
  return out;
}

export function metricMeans(s: MetricSums): MetricMeans {
  const w = s.weight;
  const mean = (x: number): number => (w > 0 ? x / w : NaN);
  return {
    loss: mean(s.weightedLoss),
    macroAccuracy: mean(s.weightedMacroAccuracy),
    microAccuracy: mean(s.weightedMicroAccuracy),
    perplexity: mean(s.weightedPerplexity),
    weight: w,
    nonFiniteBatches: s.nonFiniteBatches,
    sums: s,
  };
}

/** Slot-wise sum of several reads: the sums over all their batches. */
export function addMetricSums(a: MetricSums, b: MetricSums): MetricSums {
  const out = {} as MetricSums;
  for (const name of METRIC_SUMS) out[name] = a[name] + b[name];
  return out;
}

export function zeroMetricSums(): MetricSums {
  return readMetricSums(new Array<number>(METRIC_SUMS.length).fill(0));
}
