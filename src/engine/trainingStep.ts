// A compiled training step. Forward, backward, gradient norm and the AdamW update are recorded
// in one command encoder and submitted once; batch data and the per-step uniform go in with
// writeBuffer before it, and metrics stay on the GPU as running sums that ride back in the
// same submit every N steps (double-buffered, awaited whenever the caller likes). After
// compilation nothing is created on the GPU per step.

import { Readback } from '../gpu/readback.ts';
import { submit } from '../gpu/stats.ts';
import { compileGraph, type CompiledGraph, type EngineGpu } from './compile.ts';
import type { Graph, InitialData } from './graph.ts';
import { METRIC_SUMS, metricMeans, readMetricSums, type MetricMeans } from './metrics/metricSums.ts';
import type { AdamW } from './ops/adamw/adamw.ts';
import type { Tensor } from './tensor.ts';

export interface TrainingProgram {
  graph: Graph;
  /** Tensors written before every step, in the order batches list their arrays. */
  inputs: readonly Tensor[];
  /** The running metric sums (accumulateMetrics). */
  sums: Tensor;
  /** Recorded after g.backward. */
  optimizer: AdamW;
}

export class TrainingStep {
  private optimizerSteps = 0;

  private constructor(
    readonly compiled: CompiledGraph,
    private readonly program: TrainingProgram,
    private readonly readback: Readback,
  ) {}

  static async compile(gpu: EngineGpu, program: TrainingProgram): Promise<TrainingStep> {
    const compiled = await compileGraph(program.graph, gpu);
    return new TrainingStep(compiled, program, new Readback(gpu.device, METRIC_SUMS.length * 4, 'metric sums'));
  }

  /** Optimizer steps taken so far (AdamW's t). */
  get steps(): number {
    return this.optimizerSteps;
  }

  /**
   * One optimizer step on `batch` at learning rate `lr`: one submit. With readMetrics, the
   * metric sums since the last read are copied out in the same submit and cleared; the
   * promise resolves once the GPU is done, without blocking further steps.
   */
  train(batch: readonly InitialData[], lr: number, { readMetrics = false } = {}): Promise<MetricMeans> | null {
    this.optimizerSteps += 1;
    this.writeBatch(batch);
    this.compiled.writeStepUniform(this.program.optimizer.stepUniform(lr, this.optimizerSteps));
    const encoder = this.compiled.gpu.device.createCommandEncoder();
    this.compiled.encodeGradientClear(encoder);
    this.compiled.encodePhases(encoder, ['forward', 'backward', 'update']);
    return this.finish(encoder, readMetrics);
  }

  /** Forward only, adding this batch to the metric sums: one submit. */
  evaluate(batch: readonly InitialData[], { readMetrics = false } = {}): Promise<MetricMeans> | null {
    this.writeBatch(batch);
    const encoder = this.compiled.gpu.device.createCommandEncoder();
    this.compiled.encodePhases(encoder, ['forward']);
    return this.finish(encoder, readMetrics);
  }

  /** Current parameter values (the flat pool), e.g. for checkpoints and tests. */
  async readParameters(): Promise<Float32Array> {
    return (await this.compiled.read(this.program.graph.poolView('param'))) as Float32Array;
  }

  destroy(): void {
    this.readback.destroy();
    this.compiled.destroy();
  }

  private writeBatch(batch: readonly InitialData[]): void {
    const { inputs } = this.program;
    if (batch.length !== inputs.length) throw new Error(`batch has ${batch.length} arrays, the step takes ${inputs.length}`);
    inputs.forEach((t, i) => this.compiled.write(t, batch[i]!));
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
