// Builds the whole training program of a model for one (micro-)batch shape: inputs, forward,
// cross-entropy with accuracy counters, GPU-side metric sums, backward, gradient norm and
// AdamW, ready to compile into a TrainingStep. Per-batch work (clearing the accuracy counters,
// adding the batch to the metric sums) sits in the phases 'batchStart' and 'batchEnd', so a
// step can run forward and backward over several micro-batches in between. The model is an
// ArchitectureSpec (the product's model description; the backbone follows the spec and the task),
// traced for one kernel target (the device's EngineGpu.target).

import type { KernelTarget } from '../config/kernelTarget.ts';
import { Graph } from '../engine/graph.ts';
import { accumulateBatchLoss } from '../engine/metrics/batchLoss.ts';
import { accumulateMetrics } from '../engine/metrics/metricSums.ts';
import { adamw } from '../engine/ops/adamw/adamw.ts';
import { crossEntropy, crossEntropyCounters, zeroCrossEntropyCounters } from '../engine/ops/crossEntropy/crossEntropy.ts';
import { gradNorm } from '../engine/ops/gradNorm/gradNorm.ts';
import type { TrainingProgram } from '../engine/trainingStep.ts';
import type { Tensor } from '../engine/tensor.ts';
import { specOf, type ArchitectureSpec, type Backbone, type ResolvedArchitecture } from '../model/architecture.ts';
import { buildModel } from '../model/build.ts';
import { ParamFactory } from '../engine/params.ts';
import type { TaskName } from '../tasks/types.ts';

export interface ModelTrainingConfig {
  /** A spec, or one checkArchitecture already resolved (not checked again). */
  architecture: ArchitectureSpec | ResolvedArchitecture;
  /** The kernels to record: the device's (EngineGpu.target); any, when planning only. */
  target: KernelTarget;
  vocabSize: number;
  /**
   * mad-lab's max_length for the layers. Default seqLen (the batch's length); benchmark.py sets it
   * to the task's seq_len, which for some tasks is one more than the input length: pass it then.
   * The AutoEncoder always uses the batch's length (docs/protocol.md §5.2).
   */
  maxLength?: number;
  /** Picks the backbone when the spec's is 'auto' (compression → AutoEncoder). */
  task?: TaskName;
  batchSize: number;
  seqLen: number;
  weightDecay: number;
  /** Seeds the parameter initialisation. */
  seed: number;
  /** Plans the program for its memory and dispatches only: no initial value is drawn, and it cannot compile. */
  planOnly?: boolean;
}

export interface ModelTraining extends TrainingProgram {
  gradNorm: Tensor;
  parameterCount: number;
  backbone: Backbone;
  /** [B, T, V]. */
  logits: Tensor;
}

/** The training program of the model an ArchitectureSpec describes (init scheme from the spec). */
export function buildTrainingProgram(config: ModelTrainingConfig): ModelTraining {
  let backbone: Backbone = 'language-model';
  const { init } = specOf(config.architecture);
  const paramsOf = (g: Graph) => (config.planOnly ? ParamFactory.planning(g, init) : new ParamFactory(g, config.seed, init));
  const program = buildProgram(config.target, config.batchSize, config.seqLen, config.weightDecay, paramsOf, (g, params, ids) => {
    const built = buildModel(g, params, ids, config.architecture, {
      vocabSize: config.vocabSize,
      maxLength: config.maxLength ?? config.seqLen,
      task: config.task,
    });
    backbone = built.backbone;
    return built.logits;
  });
  return { ...program, backbone };
}

function buildProgram(
  target: KernelTarget,
  batchSize: number,
  seqLen: number,
  weightDecay: number,
  paramsOf: (g: Graph) => ParamFactory,
  forward: (g: Graph, params: ParamFactory, ids: Tensor) => Tensor,
): Omit<ModelTraining, 'backbone'> {
  const g = new Graph(target);
  const params = paramsOf(g);
  const ids = g.input([batchSize, seqLen], 'i32', 'ids');
  const targets = g.input([batchSize, seqLen], 'i32', 'targets');
  const lossShare = g.input([1], 'f32', 'loss share', new Float32Array([1]));
  const metricWeight = g.input([1], 'f32', 'metric weight', new Float32Array([batchSize]));
  const logits = forward(g, params, ids);
  const vocabSize = logits.shape[logits.rank - 1]!;
  const counters = crossEntropyCounters(g, vocabSize);
  g.inPhase('batchStart', () => zeroCrossEntropyCounters(g, counters));
  const loss = crossEntropy(g, logits, targets, counters);
  const batchLoss = accumulateBatchLoss(g, loss, lossShare);
  const sums = g.inPhase('batchEnd', () => accumulateMetrics(g, batchLoss, counters, metricWeight));
  // The seed scales this micro-batch's gradient to its share of the batch's mean loss.
  g.backward(loss, lossShare);
  const norm = gradNorm(g);
  const optimizer = adamw(g, { weightDecay });
  const parameterCount = g.params.reduce((n, p) => n + p.size, 0);
  return { graph: g, ids, targets, vocabSize, lossShare, metricWeight, sums, optimizer, gradNorm: norm, parameterCount, logits };
}
