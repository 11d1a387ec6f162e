import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../config/protocolsBundled.ts';
import { architectureFromLayers } from '../../model/architecture.ts';
import { settingsForTask } from '../../state/explorerStore.ts';
import { runKeyOf } from '../../train/runKey.ts';
import { DEFAULT_TRAINING } from '../../train/types.ts';
import { sizesOf } from '../../state/launcherChoice.ts';
import { launchRequest, type LaunchChoice } from './launchPlans.ts';
import { TINY_DEMO_MODEL } from './modelChoices.ts';

const base: LaunchChoice = {
  mode: 'setting',
  task: 'in-context-recall',
  settingIndex: 0,
  sizes: { vocabSize: 8, seqLen: 16, numTrainExamples: 256, numTestExamples: 64 },
  profile: 'quick',
  demo: null,
  architecture: TINY_DEMO_MODEL,
  training: { ...DEFAULT_TRAINING, epochs: 4, seed: 7 },
  checkpointEvery: 1,
};

function request(choice: LaunchChoice) {
  const outcome = launchRequest(choice);
  if (!outcome.ok) throw new Error(outcome.problems.join(' '));
  return outcome.request;
}

describe('launchRequest', () => {
  it('one setting: the grid setting at the chosen sizes, with one seed for data and training', () => {
    const { kind, runs, options } = request(base);
    expect(kind).toBe('setting');
    expect(options).toEqual({ checkpointEvery: 1 });
    expect(runs).toHaveLength(1);
    const { plan, label } = runs[0]!;
    expect(plan.setting).toMatchObject({ task: 'in-context-recall', vocabSize: 8, seqLen: 16, numTrainExamples: 256, numTestExamples: 64, seed: 7 });
    expect(plan.training).toMatchObject({ epochs: 4, seed: 7 });
    expect(() => runKeyOf(plan)).not.toThrow();
    expect(label).toBe('In-context recall, baseline: V 8, L 16, 256 train / 64 test');
  });

  it('a task’s grid: every setting of the grid, shrunk in proportion by a demo scale', () => {
    const grid = settingsForTask('in-context-recall');
    const baseline = grid[0]!;
    const { runs } = request({ ...base, mode: 'grid', demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 2 } });
    expect(runs).toHaveLength(grid.length);
    runs.forEach(({ plan }, i) => {
      const setting = grid[i]!;
      expect(plan.setting).toMatchObject({
        vocabSize: setting.vocabSize,
        seqLen: setting.seqLen,
        numTrainExamples: Math.round((setting.numTrainExamples * 256) / baseline.numTrainExamples),
        numTestExamples: 64,
      });
      expect(plan.training.epochs).toBe(2);
    });
    // The grid's smaller training sets stay smaller: 12,800 → 256 and 800 → 16.
    expect(new Set(runs.map((r) => r.plan.setting.numTrainExamples)).size).toBeGreaterThan(1);
  });

  it('a protocol: its settings × sweep points with its own epochs and learning rates', () => {
    const profile = PROTOCOLS.quick;
    const { runs, profile: name } = request({ ...base, mode: 'protocol' });
    expect(name).toBe('quick');
    const settings = profile.tasks.reduce((n, t) => n + t.settings.length, 0);
    expect(runs).toHaveLength(settings * profile.sweep.length);
    expect(runs.map((r) => r.plan.training.lr)).toEqual(runs.map(() => profile.sweep[0]!.lr));
    expect(new Set(runs.map((r) => r.plan.setting.task)).size).toBe(profile.tasks.length);
  });

  it('names every problem of the form instead of launching', () => {
    const outcome = launchRequest({ ...base, training: { ...base.training, epochs: 0, lr: NaN }, checkpointEvery: 1.5 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.problems).toEqual([
        'Epochs must be a whole number ≥ 1, got 0.',
        'Checkpoint interval must be a whole number ≥ 1, got 1.5.',
        'Learning rate must be a positive number, got NaN.',
      ]);
    }
  });

  it('reports an invalid model and a setting the task generator refuses', () => {
    const badModel = launchRequest({ ...base, architecture: architectureFromLayers(['mh-attention'], { dim: 8 }) });
    expect(badModel.ok === false && badModel.problems[0]).toMatch(/^Model: .*n_heads/);
    const tooShort = launchRequest({ ...base, sizes: { ...sizesOf(settingsForTask('in-context-recall')[0]!), seqLen: 2 } });
    expect(tooShort.ok === false && tooShort.problems[0]).toMatch(/change the vocabulary or the length\.$/);
  });
});
