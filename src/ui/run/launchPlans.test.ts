import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../config/protocolFiles.ts';
import { architectureFromLayers } from '../../model/architecture.ts';
import { settingsForTask } from '../../config/taskGridFiles.ts';
import { runKeyOf } from '../../train/runKey.ts';
import { DEFAULT_TRAINING } from '../../train/types.ts';
import { sizesOf } from '../../state/launcherChoice.ts';
import { launchFieldProblems, launchRequest, type LaunchChoice } from './launchPlans.ts';
import { TINY_DEMO_MODEL } from './modelChoices.ts';

const base: LaunchChoice = {
  mode: 'setting',
  task: 'in-context-recall',
  settingIndex: 0,
  sizes: { vocabSize: 8, seqLen: 16, numTrainExamples: 256, numTestExamples: 64 },
  widths: '16, 32',
  profile: 'quick',
  demo: null,
  architecture: TINY_DEMO_MODEL,
  training: { ...DEFAULT_TRAINING, epochs: 4, seed: 7 },
  checkpointEvery: 1,
};

function request(choice: LaunchChoice) {
  const outcome = launchRequest(choice);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join(' '));
  return outcome.request;
}

function problemsOf(choice: LaunchChoice) {
  const outcome = launchRequest(choice);
  if (outcome.ok) throw new Error('expected the launch to be refused');
  return outcome.problems;
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

  it('names every problem of the form by its field instead of launching', () => {
    expect(problemsOf({ ...base, training: { ...base.training, epochs: 0, lr: NaN }, checkpointEvery: 1.5 })).toEqual([
      { field: 'training.epochs', message: 'Epochs must be a whole number ≥ 1, got 0.' },
      { field: 'training.lr', message: 'Learning rate must be a positive number, got NaN.' },
      { field: 'checkpointEvery', message: 'Checkpoint interval must be a whole number ≥ 1, got 1.5.' },
    ]);
  });

  it('reports an invalid model and a setting the task generator refuses', () => {
    const [badModel] = problemsOf({ ...base, architecture: architectureFromLayers(['mh-attention'], { dim: 8 }) });
    expect(badModel).toMatchObject({ field: 'model', message: expect.stringMatching(/^Model: .*n_heads/) });
    const [tooShort] = problemsOf({ ...base, sizes: { ...sizesOf(settingsForTask('in-context-recall')[0]!), seqLen: 2 } });
    expect(tooShort).toMatchObject({ field: 'run', message: expect.stringMatching(/change the vocabulary or the length\.$/) });
  });

  it('refuses a memorization vocabulary of 2,147,483,648 by the size policy, before generating anything', () => {
    // Once this generated the vocabulary's fact table first: the tab stopped answering for a minute at 8.4 GB.
    const choice: LaunchChoice = { ...base, task: 'memorization', settingIndex: 0, sizes: { ...base.sizes, vocabSize: 2_147_483_648 } };
    expect(problemsOf(choice)).toEqual([
      {
        field: 'sizes.vocabSize',
        message: "Vocabulary size 2,147,483,648 is over the limit of 131,072 (16× MAD's largest vocabulary (8,192)): use a smaller vocabulary.",
      },
    ]);
    expect(launchFieldProblems(choice).map((p) => p.field)).toEqual(['sizes.vocabSize']);
  });

  it('caps epochs, batch, sizes and the demo scale at the policy, marking each field', () => {
    const overSetting = problemsOf({
      ...base,
      sizes: { vocabSize: 8, seqLen: 1_000_000, numTrainExamples: 1e9, numTestExamples: 64 },
      training: { ...base.training, epochs: 1e9, batchSize: 1e6 },
    });
    expect(overSetting.map((p) => p.field)).toEqual(['sizes.seqLen', 'sizes.numTrainExamples', 'training.epochs', 'training.batchSize']);
    expect(overSetting[2]!.message).toBe("Epochs 1,000,000,000 is over the limit of 3,200 (16× MAD's largest epoch count (200)): train for fewer epochs.");
    const overDemo = problemsOf({ ...base, mode: 'grid', demo: { numTrainExamples: 256, numTestExamples: 64, epochs: 5000 } });
    expect(overDemo).toEqual([{ field: 'demo.epochs', message: expect.stringMatching(/^Epochs 5,000 is over the limit of 3,200/) }]);
    // Fields the chosen mode hides neither shape the runs nor block them: a protocol trains with its own epochs.
    expect(launchRequest({ ...base, mode: 'protocol', training: { ...base.training, epochs: 1e9 } }).ok).toBe(true);
  });

  it('refuses a model over the policy with its message', () => {
    const deep = architectureFromLayers(new Array(65).fill('mlp'), { dim: 16 });
    expect(problemsOf({ ...base, architecture: deep })).toEqual([
      { field: 'model', message: "Model: Number of layers 65 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers" },
    ]);
  });

  it("refuses a run within every cap whose whole-run memory is over WebGPU's defaults", () => {
    const [problem, ...rest] = problemsOf({ ...base, task: 'memorization', settingIndex: 0, sizes: { vocabSize: 131_072, seqLen: 16_384, numTrainExamples: 256, numTestExamples: 64 } });
    expect(rest).toEqual([]);
    expect(problem).toEqual({ field: 'run', message: expect.stringMatching(/^Memorization, .*: Training needs at least [\d.]+ GiB of GPU memory .*over the memory budget of 1\.00 GiB: .*per buffer: use a shorter sequence, a smaller vocabulary or a narrower or shallower model\.$/) });
  });

  it('plans every run of the full protocol', () => {
    const { runs } = request({ ...base, mode: 'protocol', profile: 'full' });
    expect(runs.length).toBeGreaterThan(300);
  });
});

describe('launchRequest: a width sweep', () => {
  const width: LaunchChoice = { ...base, mode: 'width', task: 'memorization', settingIndex: 0, sizes: { ...base.sizes, vocabSize: 16, seqLen: 32 }, widths: '16, 32' };

  it('one run per listed width: the same layers and setting, dim changed and named by its width', () => {
    const { kind, runs, label } = request(width);
    expect(kind).toBe('width');
    expect(runs.map((run) => run.plan.architecture.dim)).toEqual([16, 32]);
    expect(runs.map((run) => run.plan.architecture.name)).toEqual(['Tiny attention + SwiGLU (d 16)', 'Tiny attention + SwiGLU (d 32)']);
    // Heads of 8 as in the model at d 16: two heads at d 16, four at d 32 (rotary over the head stays 8).
    expect(runs.map((run) => run.plan.architecture.layers[0]!.config)).toEqual([{ n_heads: 2, rotary_emb_dim: 8 }, { n_heads: 4, rotary_emb_dim: 8 }]);
    for (const { plan } of runs) {
      expect(plan.architecture.layers.map((layer) => layer.type)).toEqual(TINY_DEMO_MODEL.layers.map((layer) => layer.type));
      expect(plan.setting).toMatchObject({ task: 'memorization', vocabSize: 16, seqLen: 32, numTrainExamples: 256, numTestExamples: 64, seed: 7 });
    }
    expect(new Set(runs.map(({ plan }) => runKeyOf(plan).modelId)).size).toBe(1);
    expect(label).toMatch(/^Width sweep d 16, 32, Memorization/);
  });

  it('refuses a width list the size policy or the model refuses, keyed to the widths field', () => {
    expect(problemsOf({ ...width, widths: '16, 4096' })).toEqual([{ field: 'widths', message: expect.stringMatching(/Widths: Model width 4,096 is over the limit of 2,048/) }]);
    expect(problemsOf({ ...width, widths: '16, 16' })[0]).toMatchObject({ field: 'widths', message: expect.stringMatching(/16 is listed twice/) });
    expect(problemsOf({ ...width, widths: '' })[0]).toMatchObject({ field: 'widths', message: expect.stringMatching(/type one or more model widths/) });
    expect(problemsOf({ ...width, widths: '16, x' })[0]).toMatchObject({ field: 'widths', message: expect.stringMatching(/whole number ≥ 1, got "x"/) });
    // Heads of 8 do not divide width 12: the head count stays, and the model's own check refuses it.
    const [problem] = problemsOf({ ...width, widths: '12, 16' });
    expect(problem).toMatchObject({ field: 'widths', message: expect.stringMatching(/^Width 12: .*choose a width it divides/) });
    expect(request({ ...width, widths: '8, 16' }).runs.map((run) => run.plan.architecture.layers[0]!.config)).toEqual([{ n_heads: 1, rotary_emb_dim: 8 }, { n_heads: 2, rotary_emb_dim: 8 }]);
  });

  it('checks the widths only in width mode', () => {
    expect(launchFieldProblems({ ...width, mode: 'setting', widths: 'nonsense' })).toEqual([]);
    expect(launchFieldProblems({ ...width, widths: 'nonsense' }).map((p) => p.field)).toEqual(['widths']);
  });
});
