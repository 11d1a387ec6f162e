import { describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import type { ShareRun } from '../share/shareState.ts';
import { decodeShareLink, encodeShareLink } from '../share/urlCodec.ts';
import { makeSetting } from '../tasks/settings.ts';
import { TASK_NAMES, type TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING } from '../train/types.ts';
import { settingsForTask } from '../config/taskGridFiles.ts';
import { INITIAL_LAUNCHER_CHOICE, sizesOf, type LauncherChoice } from './launcherChoice.ts';
import { launcherChoiceOfShareRun, launcherSetting, shareRunOfLauncherChoice } from './launcherShareRun.ts';
import { useLauncherStore } from './launcherStore.ts';

const architecture = architectureFromLayers(['mh-hyena', 'swiglu']);

const SIZE_KEYS = ['vocabSize', 'seqLen', 'numTrainExamples', 'numTestExamples', 'seed'];
const sameExceptSizes = (a: TaskSetting, b: TaskSetting): boolean =>
  (Object.keys(a) as (keyof TaskSetting)[]).every((key) => SIZE_KEYS.includes(key) || a[key] === b[key]);

/** The launcher choice after a trip through a real link: encode, decode, map back. */
function throughLink(choice: LauncherChoice): LauncherChoice {
  const decoded = decodeShareLink(encodeShareLink({ architecture, run: shareRunOfLauncherChoice(choice) }));
  const outcome = launcherChoiceOfShareRun(decoded.run!);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.choice;
}

const demoChoice: LauncherChoice = {
  ...INITIAL_LAUNCHER_CHOICE,
  settingIndex: 0,
  sizes: { vocabSize: 8, seqLen: 16, numTrainExamples: 256, numTestExamples: 64 },
  training: { ...DEFAULT_TRAINING, epochs: 3, batchSize: 32, lr: 5e-3, seed: 41 },
};

describe('launcher choice ↔ share run', () => {
  it('one setting: every grid setting of every task, unchanged and resized, with its seed and training', () => {
    for (const task of TASK_NAMES) {
      settingsForTask(task).forEach((setting, settingIndex) => {
        const unchanged: LauncherChoice = { ...INITIAL_LAUNCHER_CHOICE, task, settingIndex, sizes: sizesOf(setting), training: { ...DEFAULT_TRAINING, seed: settingIndex } };
        expect(throughLink(unchanged), `${task} #${settingIndex}`).toEqual(unchanged);
      });
    }
    expect(throughLink(demoChoice)).toEqual(demoChoice);
    // A noisy setting differs from the baseline in more than its sizes, so resized it is still found.
    const noisyIndex = settingsForTask('noisy-in-context-recall').findIndex((setting) => setting.fracNoise !== settingsForTask('noisy-in-context-recall')[0]!.fracNoise);
    const noisy = { ...demoChoice, task: 'noisy-in-context-recall' as const, settingIndex: noisyIndex, sizes: { ...demoChoice.sizes, vocabSize: 64 } };
    expect(noisyIndex).toBeGreaterThan(0);
    expect(throughLink(noisy)).toEqual(noisy);
  });

  it('one setting resized away from a grid setting that differs only in sizes: the same runs, under the first such setting', () => {
    const grid = settingsForTask('in-context-recall');
    const lastIndex = grid.length - 1;
    expect(sameExceptSizes(grid[lastIndex]!, grid[0]!)).toBe(true);
    const resized = { ...demoChoice, settingIndex: lastIndex, sizes: { ...demoChoice.sizes, numTrainExamples: 300 } };
    const opened = throughLink(resized);
    expect(opened).toEqual({ ...resized, settingIndex: 0 });
    expect(launcherSetting(opened)).toEqual(launcherSetting(resized));
  });

  it('one setting: the link holds the very setting the launcher trains, the seed in the data and the training', () => {
    const run = shareRunOfLauncherChoice(demoChoice);
    expect(run).toEqual({
      selection: { kind: 'setting', setting: makeSetting('in-context-recall', { vocabSize: 8, seqLen: 16, numTrainExamples: 256, numTestExamples: 64, seed: 41 }) },
      training: { epochs: 3, batchSize: 32, lr: 5e-3, seed: 41 },
    });
  });

  it('a task grid and a protocol, with and without a demo scale, every hyper-parameter changed', () => {
    const training = { lr: 1e-3, weightDecay: 0.1, epochs: 5, batchSize: 16, scheduler: 'plateau' as const, minLr: 1e-6, earlyStop: false, stopPatience: 2, plateauPatience: 1, plateauFactor: 0.5, seed: 9 };
    const grid: LauncherChoice = { ...INITIAL_LAUNCHER_CHOICE, mode: 'grid', task: 'selective-copying', sizes: sizesOf(settingsForTask('selective-copying')[0]!), training };
    const protocol: LauncherChoice = { ...INITIAL_LAUNCHER_CHOICE, mode: 'protocol', profile: 'standard', training: { ...DEFAULT_TRAINING, batchSize: 64 } };
    const demo = { numTrainExamples: 200, numTestExamples: 50, epochs: 2 };
    for (const choice of [grid, protocol, { ...grid, demo }, { ...protocol, demo }]) expect(throughLink(choice)).toEqual(choice);
    expect(shareRunOfLauncherChoice({ ...protocol, demo })).toEqual({ selection: { kind: 'protocol', profile: 'standard' }, training: { batchSize: 64, seed: DEFAULT_TRAINING.seed }, demo });
  });

  it('fills what the selection does not say from the initial choice, whatever the launcher held', () => {
    const held: LauncherChoice = { ...demoChoice, mode: 'protocol', profile: 'full', task: 'compression', settingIndex: 3, demo: { numTrainExamples: 9, numTestExamples: 9, epochs: 9 } };
    const opened = throughLink(held);
    expect(opened).toEqual({ ...INITIAL_LAUNCHER_CHOICE, mode: 'protocol', profile: 'full', demo: held.demo, training: held.training });
  });

  it('opens links written without the launcher: the data seed becomes the seed, and a missing seed the default', () => {
    const setting = makeSetting('memorization', { seed: 5 });
    const fromCli = launcherChoiceOfShareRun({ selection: { kind: 'setting', setting } });
    expect(fromCli).toEqual({ ok: true, choice: { ...INITIAL_LAUNCHER_CHOICE, task: 'memorization', settingIndex: 0, sizes: sizesOf(setting), training: { ...DEFAULT_TRAINING, seed: 5 } } });
    const grid = launcherChoiceOfShareRun({ selection: { kind: 'task-grid', task: 'compression' } });
    expect(grid.ok && grid.choice.training).toEqual(DEFAULT_TRAINING);
  });

  it('refuses, with the reason, a setting outside the grid and two different seeds', () => {
    const offGrid: ShareRun = { selection: { kind: 'setting', setting: makeSetting('noisy-in-context-recall', { fracNoise: 0.33 }) } };
    expect(launcherChoiceOfShareRun(offGrid)).toEqual({ ok: false, reason: expect.stringMatching(/is not in the noisy-in-context-recall grid the launcher offers/) });
    const twoSeeds: ShareRun = { selection: { kind: 'setting', setting: makeSetting('memorization', { seed: 1 }) }, training: { seed: 2 } };
    expect(launcherChoiceOfShareRun(twoSeeds)).toEqual({ ok: false, reason: expect.stringMatching(/data seed 1 and training seed 2 differ/) });
  });
});

describe('launcher store', () => {
  it('opening a share run fills the choice in, picks the Builder’s model and keeps the local checkpoint interval', () => {
    const store = useLauncherStore.getState();
    store.setModelChoice('tiny-demo');
    store.setCheckpointEvery(3);
    expect(store.openShareRun(shareRunOfLauncherChoice(demoChoice))).toEqual({ ok: true, problems: [] });
    const after = useLauncherStore.getState();
    expect(after.modelChoiceId).toBeNull();
    expect(after.checkpointEvery).toBe(3);
    expect({ mode: after.mode, task: after.task, settingIndex: after.settingIndex, sizes: after.sizes, widths: after.widths, profile: after.profile, demo: after.demo, training: after.training }).toEqual(demoChoice);
  });

  it('a link with a vocabulary of 2,147,483,647 fills it in as it is and names the limit, by field', () => {
    // Once such a link pre-filled the launcher without a word, and Run froze the tab generating it.
    const setting = { ...makeSetting('memorization', { seed: 3 }), vocabSize: 2_147_483_647 };
    const link = encodeShareLink({ architecture, run: { selection: { kind: 'setting', setting } } });
    const outcome = useLauncherStore.getState().openShareRun(decodeShareLink(link).run!);
    expect(outcome).toEqual({
      ok: true,
      problems: [
        {
          field: 'sizes.vocabSize',
          message: "Vocabulary size 2,147,483,647 is over the limit of 131,072 (16× MAD's largest vocabulary (8,192)): use a smaller vocabulary.",
        },
      ],
    });
    expect(useLauncherStore.getState().sizes.vocabSize).toBe(2_147_483_647);
  });

  it('a link with epochs over the cap names them; a protocol link’s own epochs are not the launcher’s', () => {
    const over = useLauncherStore.getState().openShareRun({ selection: { kind: 'task-grid', task: 'compression' }, training: { epochs: 1e9 } });
    expect(over.ok && over.problems.map((p) => p.field)).toEqual(['training.epochs']);
    const protocol = useLauncherStore.getState().openShareRun({ selection: { kind: 'protocol', profile: 'quick' }, training: { epochs: 1e9 } });
    expect(protocol).toEqual({ ok: true, problems: [] });
  });

  it('a refused share run changes nothing', () => {
    const before = useLauncherStore.getState();
    const outcome = before.openShareRun({ selection: { kind: 'setting', setting: makeSetting('memorization', { seed: 1 }) }, training: { seed: 2 } });
    expect(outcome.ok).toBe(false);
    expect(useLauncherStore.getState()).toBe(before);
  });
});
