// Builds the whole training program of a LanguageModel for one batch shape: inputs, forward,
// cross-entropy with accuracy counters, GPU-side metric sums, backward, gradient norm and
// AdamW, ready to compile into a TrainingStep.

import { Graph } from '../engine/graph.ts';
import { accumulateMetrics } from '../engine/metrics/metricSums.ts';
import { adamw } from '../engine/ops/adamw/adamw.ts';
import { crossEntropy, crossEntropyCounters, zeroCrossEntropyCounters } from '../engine/ops/crossEntropy/crossEntropy.ts';
import { gradNorm } from '../engine/ops/gradNorm/gradNorm.ts';
import type { TrainingProgram } from '../engine/trainingStep.ts';
import type { Tensor } from '../engine/tensor.ts';
import { languageModel, type LanguageModelConfig } from '../model/languageModel.ts';
import { ParamFactory, type InitScheme } from '../model/params.ts';

export interface LanguageModelTrainingConfig {
  model: LanguageModelConfig;
  batchSize: number;
  seqLen: number;
  weightDecay: number;
  /** Seeds the parameter initialisation. */
  seed: number;
  /** Default 'paper' (spec §5.3). */
  init?: InitScheme;
}

export interface LanguageModelTraining extends TrainingProgram {
  /** [B, T] i32 token ids, then [B, T] i32 targets (−100 = ignore): the batch order. */
  ids: Tensor;
  targets: Tensor;
  gradNorm: Tensor;
  parameterCount: number;
}

export function buildLanguageModelTraining(config: LanguageModelTrainingConfig): LanguageModelTraining {
  const { batchSize, seqLen, model } = config;
  const g = new Graph();
  const params = new ParamFactory(g, config.seed, config.init);
  const ids = g.input([batchSize, seqLen], 'i32', 'ids');
  const targets = g.input([batchSize, seqLen], 'i32', 'targets');
  const counters = crossEntropyCounters(g, model.vocabSize);
  zeroCrossEntropyCounters(g, counters);
  const logits = languageModel(g, params, ids, model);
  const loss = crossEntropy(g, logits, targets, counters);
  const sums = accumulateMetrics(g, loss, counters, batchSize);
  g.backward(loss);
  const norm = gradNorm(g);
  const optimizer = adamw(g, { weightDecay: config.weightDecay });
  const parameterCount = g.params.reduce((n, p) => n + p.size, 0);
  return { graph: g, inputs: [ids, targets], sums, optimizer, ids, targets, gradNorm: norm, parameterCount };
}
