// The prediction program must lay out the param pool exactly as the training program does, or the
// saved pool would load into the wrong tensors (writePool checks only the size); and the compiled
// predictor must give the training forward's predictions once the parameters are loaded.
import { describe, expect, it } from 'vitest';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { createTaskStream, modelInputLength } from '../tasks/stream.ts';
import { makeSetting } from '../tasks/settings.ts';
import { buildTrainingProgram } from '../train/trainingProgram.ts';
import { DEFAULT_TRAINING, type RunPlan } from '../train/types.ts';
import { buildPredictionProgram, RunPredictor } from './predictionModel.ts';
import { predictFromLogits } from './predictions.ts';

const paramLayout = (params: readonly { label: string; offset: number; shape: readonly number[] }[]) =>
  params.map((p) => ({ label: p.label, offset: p.offset, shape: [...p.shape] }));

describe('buildPredictionProgram', () => {
  for (const [task, layers] of [
    ['in-context-recall', ['hyena', 'swiglu']],
    ['compression', ['mamba', 'mlp']],
  ] as const) {
    it(`lays out the parameters of ${layers.join(' + ')} on ${task} as training does, at batch 1`, () => {
      const setting = makeSetting(task, { vocabSize: 8, seqLen: 8, numTrainExamples: 16, numTestExamples: 4 });
      const plan: RunPlan = { architecture: architectureFromLayers([...layers], { dim: 16 }), setting, training: DEFAULT_TRAINING };
      const T = modelInputLength(setting);
      const training = buildTrainingProgram({
        architecture: plan.architecture,
        target: 'cpu',
        vocabSize: setting.vocabSize,
        maxLength: setting.seqLen,
        task,
        batchSize: 4,
        seqLen: T,
        weightDecay: 0,
        seed: plan.training.seed,
      });
      const prediction = buildPredictionProgram(plan, T, 'cpu');
      expect(prediction.graph.plannedBytes.param).toBe(training.graph.plannedBytes.param);
      expect(paramLayout(prediction.graph.params)).toEqual(paramLayout(training.graph.params));
      expect(prediction.logits.shape).toEqual([1, T, setting.vocabSize]);
    });
  }
});

describe('RunPredictor', () => {
  it('predicts what the training program’s logits say, after loading its parameters', async () => {
    const gpu = await testGpu();
    const setting = makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 16, numTestExamples: 4 });
    const plan: RunPlan = { architecture: architectureFromLayers(['hyena', 'swiglu'], { dim: 16 }), setting, training: { ...DEFAULT_TRAINING, seed: 7 } };
    const T = modelInputLength(setting);
    const instance = createTaskStream(setting).next('test');
    const program = buildTrainingProgram({
      architecture: plan.architecture,
      target: gpu.target,
      vocabSize: setting.vocabSize,
      maxLength: setting.seqLen,
      task: setting.task,
      batchSize: 1,
      seqLen: T,
      weightDecay: 0,
      seed: 3, // other weights than the predictor's own initialisation (seed 7): the load must replace them
    });
    const step = await TrainingStep.compile(gpu, program);
    const predictor = await RunPredictor.compile(gpu, plan, T, await step.readParameters());
    try {
      await step.evaluate([instance.inputs, instance.targets], { readMetrics: true });
      const expected = predictFromLogits((await step.compiled.read(program.logits)) as Float32Array, setting.vocabSize);
      const actual = await predictor.predict(instance.inputs);
      expect(Array.from(actual.predictions)).toEqual(Array.from(expected.predictions));
      const largestDifference = Math.max(...Array.from(actual.probabilities, (p, i) => Math.abs(p - expected.probabilities[i]!)));
      console.log(`RunPredictor vs training forward: largest probability difference ${largestDifference.toExponential(2)}`);
      expect(largestDifference).toBeLessThan(1e-5);
      await expect(predictor.predict(new Int32Array(T + 1))).rejects.toThrow(/instances of 8 tokens/);
    } finally {
      predictor.destroy();
      step.destroy();
    }
  });
});
