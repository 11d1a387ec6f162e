// A compiled training step. Forward, backward, gradient norm and the AdamW update are recorded
// in one command encoder and submitted once; batch data and the per-step uniform go in with
// writeBuffer before it, and metrics stay on the GPU as running sums that ride back in the
// same submit every N steps (double-buffered, awaited whenever the caller likes), together with
// the gradient norm of the step the read happens at. After compilation nothing is created on the
// GPU per step.
//
// Batches. The program has a fixed (micro-)batch shape of b rows; a step takes up to k·b rows
// (k = microBatches). Missing rows are padding whose targets are all IGNORE_INDEX, so they add
// nothing to the loss, the gradients or the accuracy counters, and the metric weight is the real
// row count: a partial last batch counts as Lightning counts it (docs/protocol.md §6).
//
// Gradient accumulation (k > 1) gives the full-batch step: cross-entropy is a mean over the scored
// targets of the WHOLE batch, so micro-batch j's loss gradient is seeded with n_j / N (its scored
// targets over the batch's); parameter gradients are cleared before the first micro-batch only,
// activation gradients before each; the accuracy counters and the batch loss accumulate over the
// micro-batches (phases 'batchStart'/'batchEnd' run once) and AdamW runs once at the end. All
// micro-batches' inputs and seeds are written into one staging buffer with a single writeBuffer,
// and each is copied into place (copyBufferToBuffer) before its phases: still one submit per step.

import { Readback } from '../gpu/readback.ts';
import { createBuffer, submit } from '../gpu/stats.ts';
import { compileGraph, type CompiledGraph, type EngineGpu } from './compile.ts';
import type { Graph, InitialData } from './graph.ts';
import type { Phase } from './launch.ts';
import { METRIC_SUMS, metricMeans, readMetricSums, type MetricMeans } from './metrics/metricSums.ts';
import type { AdamW } from './ops/adamw/adamw.ts';
import { IGNORE_INDEX } from './ops/crossEntropy/crossEntropy.ts';
import type { Tensor } from './tensor.ts';

export interface TrainingProgram {
  graph: Graph;
  /** [b, T] i32 token ids and [b, T] i32 targets (−100 = ignore) of one micro-batch. */
  ids: Tensor;
  targets: Tensor;
  /** Targets in [0, vocabSize) are scored; anything else is ignored (as the cross-entropy does). */
  vocabSize: number;
  /** [1] f32 seed of the loss gradient: this micro-batch's share of the batch's scored targets. */
  lossShare: Tensor;
  /** [1] f32 weight of the batch in the metric sums: its real rows. */
  metricWeight: Tensor;
  /** The running metric sums (accumulateMetrics). */
  sums: Tensor;
  /** Recorded after g.backward. */
  optimizer: AdamW;
  /** [1] f32 global L2 norm of the parameter gradients (gradNorm op, phase 'update'). */
  gradNorm: Tensor;
}

/** A training step's read: the metric means since the last read, and this step's gradient norm. */
export interface TrainingMetrics extends MetricMeans {
  /** √(Σ g²) over every parameter gradient of this step's whole batch, before AdamW's update. */
  gradNorm: number;
}

export interface TrainingStepOptions {
  /** Micro-batches per step (gradient accumulation); default 1. */
  microBatches?: number;
}

/** Everything a checkpoint needs to continue training exactly. */
export interface TrainingState {
  /** The whole param pool. */
  parameters: Float32Array;
  /** The whole optimizer pool (AdamW's moments). */
  optimizerState: Float32Array;
  /** AdamW's t. */
  optimizerSteps: number;
}

export class TrainingStep {
  private optimizerSteps = 0;
  /** Rows of one micro-batch (the program's batch) and tokens per row. */
  readonly microBatchRows: number;
  readonly seqLen: number;
  /** Host mirror of the staging buffer: ids, then targets of all micro-batches, then their shares. */
  private readonly host: ArrayBuffer;
  private readonly hostIds: Int32Array;
  private readonly hostTargets: Int32Array;
  private readonly hostShares: Float32Array;
  private readonly metricWeight = new Float32Array(1);

  private constructor(
    readonly compiled: CompiledGraph,
    private readonly program: TrainingProgram,
    readonly microBatches: number,
    private readonly staging: GPUBuffer,
    private readonly readback: Readback,
    /** The gradient norm's 4 bytes, copied in the same submit as the metric sums (same double buffering). */
    private readonly gradNormReadback: Readback,
  ) {
    const [rows, seqLen] = program.ids.shape as [number, number];
    this.microBatchRows = rows;
    this.seqLen = seqLen;
    this.host = new ArrayBuffer(staging.size);
    const tokens = microBatches * rows * seqLen;
    this.hostIds = new Int32Array(this.host, 0, tokens);
    this.hostTargets = new Int32Array(this.host, 4 * tokens, tokens);
    this.hostShares = new Float32Array(this.host, 8 * tokens, microBatches);
  }

  static async compile(gpu: EngineGpu, program: TrainingProgram, { microBatches = 1 }: TrainingStepOptions = {}): Promise<TrainingStep> {
    if (!Number.isInteger(microBatches) || microBatches < 1) throw new Error(`microBatches must be a positive integer, got ${microBatches}`);
    if (program.ids.rank !== 2 || program.targets.size !== program.ids.size) {
      throw new Error(`the program's ids ${program.ids} and targets ${program.targets} must both be [b, T]`);
    }
    const compiled = await compileGraph(program.graph, gpu);
    const staging = createBuffer(gpu.device, {
      size: microBatches * (2 * program.ids.bytes + 4),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: 'batch staging',
    });
    const metricReadback = new Readback(gpu.device, METRIC_SUMS.length * 4, 'metric sums');
    return new TrainingStep(compiled, program, microBatches, staging, metricReadback, new Readback(gpu.device, program.gradNorm.bytes, 'gradient norm'));
  }

  /** The most rows one step takes: microBatches × the program's batch. */
  get batchRows(): number {
    return this.microBatches * this.microBatchRows;
  }

  /** Optimizer steps taken so far (AdamW's t). */
  get steps(): number {
    return this.optimizerSteps;
  }

  /**
   * One optimizer step on `batch` ([ids, targets], rows × T each, rows ≤ batchRows) at learning
   * rate `lr`: one submit. With readMetrics, the metric sums since the last read and this step's
   * gradient norm are copied out in the same submit (the sums are then cleared); the promise
   * resolves once the GPU is done, without blocking further steps.
   */
  train(batch: readonly InitialData[], lr: number, { readMetrics = false } = {}): Promise<TrainingMetrics> | null {
    this.optimizerSteps += 1;
    const active = this.stageBatch(batch);
    this.compiled.writeStepUniform(this.program.optimizer.stepUniform(lr, this.optimizerSteps));
    const encoder = this.compiled.gpu.device.createCommandEncoder();
    this.compiled.encodeGradientClear(encoder);
    this.encodeMicroBatches(encoder, active, ['forward', 'backward'], ['batchEnd', 'update'], true);
    const { gradNorm } = this.program;
    if (readMetrics) this.gradNormReadback.encodeCopy(encoder, this.compiled.bufferOf(gradNorm), gradNorm.offset, gradNorm.bytes);
    const means = this.finish(encoder, readMetrics);
    if (means === null) return null;
    return Promise.all([means, this.gradNormReadback.collect('f32')]).then(([m, norm]) => ({ ...m, gradNorm: norm[0]! }));
  }

  /** Forward only, adding this batch to the metric sums: one submit. */
  evaluate(batch: readonly InitialData[], { readMetrics = false } = {}): Promise<MetricMeans> | null {
    const active = this.stageBatch(batch);
    const encoder = this.compiled.gpu.device.createCommandEncoder();
    this.encodeMicroBatches(encoder, active, ['forward'], ['batchEnd'], false);
    return this.finish(encoder, readMetrics);
  }

  /** Current parameter values (the flat pool), e.g. for checkpoints and tests. */
  readParameters(): Promise<Float32Array> {
    return this.compiled.readPool('param');
  }

  async readState(): Promise<TrainingState> {
    return {
      parameters: await this.compiled.readPool('param'),
      optimizerState: await this.compiled.readPool('optimizer'),
      optimizerSteps: this.optimizerSteps,
    };
  }

  /** Continues from a saved state (same program): parameters, optimizer moments and step count. */
  writeState(state: TrainingState): void {
    this.compiled.writePool('param', state.parameters);
    this.compiled.writePool('optimizer', state.optimizerState);
    this.optimizerSteps = state.optimizerSteps;
  }

  destroy(): void {
    this.readback.destroy();
    this.gradNormReadback.destroy();
    this.staging.destroy();
    this.compiled.destroy();
  }

  /**
   * Pads the batch to k·b rows in the host mirror, computes each micro-batch's loss share and the
   * metric weight, and writes them (one writeBuffer each). Returns the micro-batches that hold
   * real rows: trailing all-padding ones are skipped (they would add nothing).
   */
  private stageBatch(batch: readonly InitialData[]): number {
    if (batch.length !== 2) throw new Error(`a batch is [ids, targets], got ${batch.length} arrays`);
    const [ids, targets] = batch as [InitialData, InitialData];
    const T = this.seqLen;
    const rows = ids.length / T;
    if (ids.length !== targets.length || !Number.isInteger(rows) || rows < 1 || rows > this.batchRows) {
      throw new Error(`a batch needs 1 to ${this.batchRows} rows of ${T} ids and targets, got ${ids.length} ids and ${targets.length} targets`);
    }
    this.hostIds.set(ids);
    this.hostIds.fill(0, ids.length);
    this.hostTargets.set(targets);
    this.hostTargets.fill(IGNORE_INDEX, targets.length);

    const active = Math.ceil(rows / this.microBatchRows);
    const perMicro = this.microBatchRows * T;
    const vocab = this.program.vocabSize;
    let total = 0;
    for (let j = 0; j < active; j++) {
      let scored = 0;
      for (let i = j * perMicro; i < (j + 1) * perMicro; i++) {
        const t = this.hostTargets[i]!;
        if (t >= 0 && t < vocab) scored++;
      }
      this.hostShares[j] = scored;
      total += scored;
    }
    for (let j = 0; j < active; j++) this.hostShares[j] = total > 0 ? this.hostShares[j]! / total : 0;

    const { device } = this.compiled.gpu;
    device.queue.writeBuffer(this.staging, 0, this.host);
    this.metricWeight[0] = rows;
    this.compiled.write(this.program.metricWeight, this.metricWeight);
    return active;
  }

  /**
   * batchStart, then per micro-batch: its inputs copied into place and `perMicro` phases (with the
   * activation gradients cleared between training micro-batches), then `atEnd`, in as few
   * compute passes as the copies allow.
   */
  private encodeMicroBatches(encoder: GPUCommandEncoder, active: number, perMicro: Phase[], atEnd: Phase[], training: boolean): void {
    const { ids, targets, lossShare } = this.program;
    const activations = this.compiled.bufferOf(ids);
    const bytes = ids.bytes;
    const targetsBase = this.microBatches * bytes;
    const sharesBase = 2 * this.microBatches * bytes;
    for (let j = 0; j < active; j++) {
      encoder.copyBufferToBuffer(this.staging, j * bytes, activations, ids.offset, bytes);
      encoder.copyBufferToBuffer(this.staging, targetsBase + j * bytes, this.compiled.bufferOf(targets), targets.offset, bytes);
      encoder.copyBufferToBuffer(this.staging, sharesBase + 4 * j, this.compiled.bufferOf(lossShare), lossShare.offset, 4);
      if (training && j > 0) this.compiled.encodeGradientClear(encoder, { parameterGradients: false });
      const phases: Phase[] = [...(j === 0 ? ['batchStart' as const] : []), ...perMicro, ...(j === active - 1 ? atEnd : [])];
      this.compiled.encodePhases(encoder, phases);
    }
  }

  private finish(encoder: GPUCommandEncoder, readMetrics: boolean): Promise<MetricMeans> | null {
    const { sums } = this.program;
    if (readMetrics) {
      const buffer = this.compiled.bufferOf(sums);
      this.readback.encodeCopy(encoder, buffer, sums.offset, sums.bytes);
      encoder.clearBuffer(buffer, sums.offset, sums.bytes);
    }
    submit(this.compiled.gpu.device, [encoder.finish()]);
    return readMetrics ? this.readback.collect('f32').then((v) => metricMeans(readMetricSums(v))) : null;
  }
}
