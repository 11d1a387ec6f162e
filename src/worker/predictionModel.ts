// The model of a finished run, for predictions: its forward pass alone at batch 1, compiled once
// and loaded with the run's saved parameters. Parameters are created in the same order and
// shapes as in the training program (buildTrainingProgram), so the param pool has the same
// layout and the saved pool is written as a whole.

import type { KernelTarget } from '../config/kernelTarget.ts';
import { compileGraph, type CompiledGraph, type EngineGpu } from '../engine/compile.ts';
import { Graph } from '../engine/graph.ts';
import type { Tensor } from '../engine/tensor.ts';
import { buildModel } from '../model/build.ts';
import { ParamFactory } from '../engine/params.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import type { RunPlan } from '../train/types.ts';
import { predictFromLogits, type RunPrediction } from './predictions.ts';

export interface PredictionProgram {
  graph: Graph;
  /** [1, T] i32. */
  ids: Tensor;
  /** [1, T, V]. */
  logits: Tensor;
}

/** What builds a model to predict with: a run's plan, or a weights file's model and the setting on screen. */
export interface PredictionModelSource {
  architecture: RunPlan['architecture'];
  /** `task` picks an 'auto' backbone (compression: the AutoEncoder); a weights file records the backbone instead. */
  setting: Pick<TaskSetting, 'vocabSize' | 'seqLen'> & { task?: TaskName };
}

/** The forward graph of the plan's model for one instance of `inputLength` tokens, with `target`'s kernels. */
export function buildPredictionProgram(plan: PredictionModelSource, inputLength: number, target: KernelTarget): PredictionProgram {
  const graph = new Graph(target);
  // The initial values are overwritten by the saved parameters; a fixed seed keeps tracing deterministic.
  const params = new ParamFactory(graph, 0, plan.architecture.init);
  const ids = graph.input([1, inputLength], 'i32', 'ids');
  const { logits } = buildModel(graph, params, ids, plan.architecture, {
    vocabSize: plan.setting.vocabSize,
    maxLength: plan.setting.seqLen, // as the trainer builds it: benchmark.py's max_length
    task: plan.setting.task,
  });
  return { graph, ids, logits };
}

/** A run's model on the GPU, ready to predict instances of one length. */
export class RunPredictor {
  private constructor(
    private readonly compiled: CompiledGraph,
    private readonly program: PredictionProgram,
  ) {}

  static async compile(gpu: EngineGpu, plan: PredictionModelSource, inputLength: number, parameters: Float32Array): Promise<RunPredictor> {
    const program = buildPredictionProgram(plan, inputLength, gpu.target);
    const compiled = await compileGraph(program.graph, gpu);
    try {
      compiled.writePool('param', parameters);
    } catch (error) {
      compiled.destroy();
      throw error;
    }
    return new RunPredictor(compiled, program);
  }

  get inputLength(): number {
    return this.program.ids.shape[1]!;
  }

  /** One forward pass (one submit) and one read of the logits; argmax on the CPU. */
  async predict(inputs: Int32Array): Promise<RunPrediction> {
    if (inputs.length !== this.inputLength) {
      throw new Error(`This model was loaded for instances of ${this.inputLength} tokens, got ${inputs.length}.`);
    }
    this.compiled.write(this.program.ids, inputs);
    this.compiled.run(['forward']);
    const logits = (await this.compiled.read(this.program.logits)) as Float32Array;
    return predictFromLogits(logits, this.program.logits.shape.at(-1)!);
  }

  destroy(): void {
    this.compiled.destroy();
  }
}
