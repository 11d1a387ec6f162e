// trainRun end to end on SwiftShader at tiny sizes: memorization (V 8, L 8: three facts, four per
// sequence) with mh-attention + swiglu at d 16, 200 training sequences (batches of 32, the last
// one partial: 8 rows) and 64 test sequences. Each run takes a few seconds.

import { describe, expect, it } from 'vitest';
import { gradNormReference } from '../engine/ops/gradNorm/reference.ts';
import { testGpu } from '../engine/testing/gpu.ts';
import { TrainingStep } from '../engine/trainingStep.ts';
import { buildDataset } from '../tasks/dataset.ts';
import { makeSetting } from '../tasks/settings.ts';
import { BatchBuffer } from './batchGather.ts';
import { batchRows, epochOrder } from './batchOrder.ts';
import type { Checkpoint } from './checkpoint.ts';
import { RunCancelledError, RunControl } from './runControl.ts';
import { LearningRateSchedule } from './schedule.ts';
import { trainRun } from './trainer.ts';
import { buildTrainingProgram } from './trainingProgram.ts';
import { DEFAULT_TRAINING, RESULTS_COLUMNS, type RunEvent, type RunPlan, type RunResult, type TrainingHyperparameters } from './types.ts';

const setting = makeSetting('memorization', { vocabSize: 8, seqLen: 8, numTrainExamples: 200, numTestExamples: 64 });
const data = buildDataset(setting);

function plan(training: Partial<TrainingHyperparameters>): RunPlan {
  return {
    architecture: {
      version: 1,
      dim: 16,
      layers: [{ type: 'mh-attention', config: { n_heads: 2, rotary_emb_dim: 8 } }, { type: 'swiglu' }],
      init: 'current',
    },
    setting,
    training: { ...DEFAULT_TRAINING, batchSize: 32, ...training },
  };
}

function describeRun(name: string, r: RunResult): void {
  const epochs = r.epochs.map((e) => `${e.epoch}: lr ${e.lr.toExponential(3)} test ppl ${e.test.perplexity.toFixed(4)} acc ${e.test.accuracy.toFixed(4)}`).join('; ');
  const row = RESULTS_COLUMNS.map((c) => `${c} ${r.row[c].toFixed(4)}`).join(' ');
  console.log(`${name}: ${r.status}, best epoch ${r.bestEpoch}, ${r.microBatches} micro-batch(es), ${r.seconds.toFixed(1)} s; ${epochs}; row ${row}`);
}

describe('trainRun', () => {
  it('stops early once test accuracy exceeds 0.999, with the schedule’s lr per epoch and the run’s events', { timeout: 120_000 }, async () => {
    const p = plan({ lr: 1e-2, epochs: 15 });
    const events: RunEvent[] = [];
    const r = await trainRun(await testGpu(), p, data, { runId: 'early', onEvent: (e) => events.push(e) });
    describeRun('memorization at lr 1e-2, up to 15 epochs', r);
    expect(r.status).toBe('early-stopped');
    expect(r.epochs.length).toBeLessThan(15);
    expect(r.epochs.at(-1)!.test.accuracy).toBeGreaterThan(0.999);
    expect(r.epochs.slice(0, -1).every((e) => e.test.accuracy <= 0.999)).toBe(true);
    const schedule = LearningRateSchedule.start(p.training);
    r.epochs.forEach((e, i) => {
      expect(e.epoch).toBe(i);
      expect(e.lr).toBe(schedule.lrAt(i));
    });
    expect(r.row.test_acc).toBeGreaterThan(0.999);

    expect(events[0]).toEqual({ kind: 'started', runId: 'early', totalEpochs: 15, stepsPerEpoch: 7, microBatches: 1 });
    expect(events.at(-1)).toEqual({ kind: 'finished', runId: 'early', result: r });
    const steps = events.filter((e) => e.kind === 'step');
    // Reads every 2 steps and at each epoch's last: steps 2, 4, 6, 7 of every epoch.
    expect(steps.map((e) => e.step)).toEqual(r.epochs.flatMap((e) => [2, 4, 6, 7].map((s) => 7 * e.epoch + s)));
    expect(events.filter((e) => e.kind === 'epoch').map((e) => e.record)).toEqual(r.epochs);
  });

  it('reports the global gradient norm with each read; the first step’s is the f64 norm of that step’s gradients', { timeout: 120_000 }, async () => {
    const gpu = await testGpu();
    const p = plan({ lr: 1e-2, epochs: 1 });
    const events: RunEvent[] = [];
    // Seven steps per epoch, seven reads: every step is read.
    await trainRun(gpu, p, data, { onEvent: (e) => events.push(e), readsPerEpoch: 7 });
    const steps = events.flatMap((e) => (e.kind === 'step' ? [e] : []));
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const e of steps) {
      expect(Number.isFinite(e.gradNorm)).toBe(true);
      expect(e.gradNorm).toBeGreaterThan(0);
    }

    // The same first step again, by hand: the same program and seed (so the same initial weights)
    // on the epoch's first batch; its gradients stay in the paramGrad pool after AdamW's update.
    const T = data.train.inputLength;
    const program = buildTrainingProgram({
      architecture: p.architecture,
      target: gpu.target,
      vocabSize: setting.vocabSize,
      maxLength: setting.seqLen,
      task: setting.task,
      batchSize: p.training.batchSize,
      seqLen: T,
      weightDecay: p.training.weightDecay,
      seed: p.training.seed,
    });
    const step = await TrainingStep.compile(gpu, program);
    try {
      const buffer = new BatchBuffer(p.training.batchSize, T);
      const rows = batchRows(epochOrder(data.train.count, p.training.seed, 0), p.training.batchSize, 0);
      const read = await step.train(buffer.gather(data.train, rows), p.training.lr, { readMetrics: true })!;
      const expected = gradNormReference([await step.compiled.readPool('paramGrad')]);
      expect(expected).toBeGreaterThan(0);
      // The f32 two-stage reduction against f64: ~1e-7 relative (gradNorm's own checks allow 2e-6).
      const relativeError = (norm: number) => Math.abs(norm - expected) / expected;
      expect(relativeError(read.gradNorm)).toBeLessThan(1e-5);
      expect(relativeError(steps[0]!.gradNorm)).toBeLessThan(1e-5);
    } finally {
      step.destroy();
    }
  });

  it('reports the validate passes of the lowest-test-perplexity epoch, not the last one', { timeout: 120_000 }, async () => {
    // A constant lr of 0.2 overshoots: test perplexity is lowest at an early epoch, then rises.
    const r = await trainRun(await testGpu(), plan({ lr: 0.2, epochs: 5, scheduler: 'none' }), data);
    describeRun('memorization at a constant lr 0.2, 5 epochs', r);
    expect(r.status).toBe('completed');
    const perplexities = r.epochs.map((e) => e.test.perplexity);
    const lowest = perplexities.indexOf(Math.min(...perplexities));
    expect(r.bestEpoch).toBe(lowest);
    expect(lowest).toBeLessThan(4); // the scenario this test needs: the last epoch is not the best
    const best = r.epochs[lowest]!.test;
    // The final test pass runs the best epoch's weights on the same batches: the same numbers.
    expect(r.row.test_ppl).toBeCloseTo(best.perplexity, 5);
    expect(r.row.test_loss).toBeCloseTo(best.loss, 6);
    expect(r.row.test_acc).toBeCloseTo(best.accuracy, 6);
    expect(r.row.test_ppl).not.toBeCloseTo(r.epochs.at(-1)!.test.perplexity, 3);
    expect(r.row.train_ppl).toBeCloseTo(Math.exp(r.row.train_loss), 0); // a validate pass, same metrics
  });

  it('a huge lr makes the run diverge: status diverged, NaN row, no best epoch', { timeout: 120_000 }, async () => {
    const r = await trainRun(await testGpu(), plan({ lr: 1e30, epochs: 3, scheduler: 'none' }), data);
    describeRun('lr 1e30', r);
    expect(r.status).toBe('diverged');
    expect(r.bestEpoch).toBeNull();
    RESULTS_COLUMNS.forEach((c) => expect(r.row[c]).toBeNaN());
  });

  it('a NaN weight after a finite epoch marks the run diverged and drops its row', { timeout: 120_000 }, async () => {
    const p = plan({ lr: 1e-3, epochs: 3 });
    const saved: Checkpoint[] = [];
    await trainRun(await testGpu(), p, data, { checkpointEvery: 1, onCheckpoint: (c) => void saved.push(structuredClone(c)) });
    // Continue after epoch 0 with one weight poisoned.
    const checkpoint = saved[0]!;
    checkpoint.parameters[0] = Number.NaN;
    const r = await trainRun(await testGpu(), p, data, { resumeFrom: checkpoint });
    describeRun('resumed with a NaN weight', r);
    expect(r.epochs.length).toBe(1); // the finite epoch before the NaN; the poisoned one is not recorded
    expect(r.status).toBe('diverged');
    expect(r.bestEpoch).toBeNull();
    RESULTS_COLUMNS.forEach((c) => expect(r.row[c]).toBeNaN());
  });

  it('resuming from a checkpoint reproduces the uninterrupted run exactly (2 micro-batches, paused once)', { timeout: 180_000 }, async () => {
    const p = plan({ lr: 3e-3, epochs: 3, weightDecay: 0.1 });
    const control = new RunControl();
    const full: Checkpoint[] = [];
    let paused = false;
    const uninterrupted = await trainRun(await testGpu(), p, data, {
      microBatches: 2,
      checkpointEvery: 1,
      onCheckpoint: (c) => void full.push(structuredClone(c)),
      control,
      onEvent: (e) => {
        if (e.kind === 'step' && !paused) {
          paused = true;
          control.pause();
          setTimeout(() => control.resume(), 50);
        }
      },
    });
    expect(full.map((c) => c.nextEpoch)).toEqual([1, 2]);

    const resumedCheckpoints: Checkpoint[] = [];
    const resumed = await trainRun(await testGpu(), p, data, {
      resumeFrom: full[0],
      checkpointEvery: 1,
      onCheckpoint: (c) => void resumedCheckpoints.push(c),
    });
    describeRun('uninterrupted', uninterrupted);
    describeRun('resumed after epoch 0', resumed);
    const atTwo = resumedCheckpoints[0]!;
    const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
    console.log(
      `after epoch 1: parameters max |diff| ${maxDiff(atTwo.parameters, full[1]!.parameters)}, optimizer state ${maxDiff(atTwo.optimizerState, full[1]!.optimizerState)}`,
    );
    expect(resumed.microBatches).toBe(2);
    expect(atTwo.nextEpoch).toBe(2);
    expect(atTwo.parameters).toEqual(full[1]!.parameters);
    expect(atTwo.optimizerState).toEqual(full[1]!.optimizerState);
    expect(atTwo.optimizerSteps).toBe(full[1]!.optimizerSteps);
    expect(atTwo.best?.parameters).toEqual(full[1]!.best?.parameters);
    expect(resumed.row).toEqual(uninterrupted.row);
    expect(resumed.bestEpoch).toBe(uninterrupted.bestEpoch);
    const withoutTime = (r: RunResult) => r.epochs.map(({ seconds: _s, ...rest }) => rest);
    expect(withoutTime(resumed)).toEqual(withoutTime(uninterrupted));

    await expect(trainRun(await testGpu(), plan({ lr: 1e-3, epochs: 3 }), data, { resumeFrom: full[0] })).rejects.toThrow(/different run plan/);
  });

  it('cancel is honoured during the test pass: the epoch being evaluated is never reported', { timeout: 60_000 }, async () => {
    const control = new RunControl();
    const events: RunEvent[] = [];
    const p = plan({ epochs: 3 });
    const stepsPerEpoch = Math.ceil(setting.numTrainExamples / p.training.batchSize);
    const run = trainRun(await testGpu(), p, data, {
      control,
      onEvent: (e) => {
        events.push(e);
        // The read of the epoch's last step comes after its last step: the test pass is next.
        if (e.kind === 'step' && e.step === stepsPerEpoch) control.cancel();
      },
    });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(events.some((e) => e.kind === 'epoch')).toBe(false);
  });

  it('cancel is honoured during the validate passes after the last epoch: no results row', { timeout: 60_000 }, async () => {
    const control = new RunControl();
    const events: RunEvent[] = [];
    const p = plan({ epochs: 1 });
    const run = trainRun(await testGpu(), p, data, {
      control,
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'epoch') control.cancel();
      },
    });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(1);
    expect(events.some((e) => e.kind === 'finished')).toBe(false);
  });

  it('pause holds a test pass until resumed, and the run then ends as it would have', { timeout: 90_000 }, async () => {
    const p = plan({ epochs: 1, lr: 3e-3 });
    const stepsPerEpoch = Math.ceil(setting.numTrainExamples / p.training.batchSize);
    const uninterrupted = await trainRun(await testGpu(), p, data);
    const control = new RunControl();
    let epochWhilePaused = false;
    const paused = trainRun(await testGpu(), p, data, {
      control,
      onEvent: (e) => {
        if (e.kind === 'step' && e.step === stepsPerEpoch) {
          control.pause();
          setTimeout(() => control.resume(), 200);
        }
        if (e.kind === 'epoch' && control.isPaused) epochWhilePaused = true;
      },
    });
    const result = await paused;
    expect(epochWhilePaused).toBe(false);
    expect(result.row).toEqual(uninterrupted.row);
  });

  it('a cancelled run rejects with RunCancelledError and reports failed', { timeout: 60_000 }, async () => {
    const control = new RunControl();
    const events: RunEvent[] = [];
    const run = trainRun(await testGpu(), plan({ epochs: 3 }), data, {
      control,
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'step') control.cancel();
      },
    });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(events.at(-1)).toEqual({ kind: 'failed', runId: 'run', reason: 'The run was cancelled.' });
  });

  it('refuses data with tokens or targets outside the vocabulary before training a step', async () => {
    const inputs = data.train.inputs.slice();
    inputs[5] = 2_000_000_000;
    const targets = data.test.targets.slice();
    targets[3] = 1_000_000;
    const bad = { train: { ...data.train, inputs }, test: { ...data.test, targets } };
    const events: RunEvent[] = [];
    await expect(trainRun(await testGpu(), plan({ epochs: 1 }), bad, { onEvent: (e) => events.push(e) })).rejects.toThrow(/vocabulary of 8: .*2000000000.*1000000/);
    expect(events.map((e) => e.kind)).toEqual(['failed']);
  });
});
