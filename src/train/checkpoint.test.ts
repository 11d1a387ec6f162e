import { describe, expect, it } from 'vitest';
import { makeSetting } from '../tasks/settings.ts';
import { assertResumes, CHECKPOINT_VERSION, resumeProblem, type Checkpoint } from './checkpoint.ts';
import { DEFAULT_TRAINING, type RunPlan } from './types.ts';

const plan: RunPlan = {
  architecture: { version: 1, dim: 16, layers: [{ type: 'swiglu' }] },
  setting: makeSetting('memorization', { vocabSize: 8, seqLen: 8 }),
  training: DEFAULT_TRAINING,
};

const checkpoint = (p: RunPlan): Checkpoint => ({
  version: CHECKPOINT_VERSION,
  plan: p,
  nextEpoch: 0,
  microBatches: 1,
  parameters: new Float32Array(4),
  optimizerState: new Float32Array(8),
  optimizerSteps: 0,
  schedule: { kind: 'cosine' },
  earlyStop: { bestAccuracy: null, wait: 0 },
  best: null,
  epochs: [],
  seconds: 0,
});

describe('checkpoint', () => {
  it('resumes its own plan whatever the key order, and refuses another plan or format', () => {
    const reordered = JSON.parse(JSON.stringify({ training: plan.training, setting: plan.setting, architecture: plan.architecture })) as RunPlan;
    expect(() => assertResumes(structuredClone(checkpoint(plan)), reordered)).not.toThrow();
    expect(() => assertResumes(checkpoint(plan), { ...plan, training: { ...plan.training, lr: 1e-3 } })).toThrow(/different run plan/);
    expect(() => assertResumes({ ...checkpoint(plan), version: 2 as typeof CHECKPOINT_VERSION }, plan)).toThrow(/format 2/);
    expect(() => assertResumes({ ...checkpoint(plan), nextEpoch: 3 }, plan)).toThrow(/inconsistent/);
  });

  it('says why a checkpoint cannot continue a plan as a clause, for the run list', () => {
    expect(resumeProblem(checkpoint(plan), plan)).toBeNull();
    expect(resumeProblem(checkpoint(plan), { ...plan, training: { ...plan.training, seed: 9 } })).toBe('it was saved by a different run plan (model, task or hyper-parameters)');
    expect(resumeProblem({ ...checkpoint(plan), nextEpoch: 3 }, plan)).toBe('it is inconsistent (next epoch 3, 0 epoch records)');
    expect(() => assertResumes({ ...checkpoint(plan), nextEpoch: 3 }, plan)).toThrow('This checkpoint cannot continue the run: it is inconsistent (next epoch 3, 0 epoch records). Resume it with its own plan, or start the run again.');
  });
});
