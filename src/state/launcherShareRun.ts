// The launcher's choice as a share link's run, and back. A link holds the task setting itself
// (sizes and seed included), not the launcher's index into the grid, so it stays meaningful to
// mad-lab and the CLI; opening it finds that setting in the task's grid again. Whatever the
// selection does not say (a grid link's sizes, a setting link's profile) comes from the
// launcher's initial choice, so a link opens the same way in every browser.
import type { ShareRun } from '../share/shareState.ts';
import { settingName } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../train/types.ts';
import { settingsForTask } from '../config/taskGridFiles.ts';
import { INITIAL_LAUNCHER_CHOICE, sizesOf, type LauncherChoice, type SettingSizes } from './launcherChoice.ts';

export type LauncherChoiceOutcome = { ok: true; choice: LauncherChoice } | { ok: false; reason: string };

const SIZE_KEYS: readonly (keyof SettingSizes)[] = ['vocabSize', 'seqLen', 'numTrainExamples', 'numTestExamples'];

/** The task setting the launcher trains in mode 'setting': the grid setting at the chosen sizes, with the seed. */
export function launcherSetting(choice: LauncherChoice): TaskSetting {
  const grid = settingsForTask(choice.task);
  const base = grid[choice.settingIndex] ?? grid[0]!;
  return { ...base, ...choice.sizes, seed: choice.training.seed };
}

/**
 * The hyper-parameters that differ from DEFAULT_TRAINING, and always the seed: the one number a
 * reader of the link most needs to see to reproduce a run.
 */
function trainingChanges(training: TrainingHyperparameters): Partial<TrainingHyperparameters> {
  const keys = (Object.keys(training) as (keyof TrainingHyperparameters)[]).filter((key) => key === 'seed' || !Object.is(training[key], DEFAULT_TRAINING[key]));
  return Object.fromEntries(keys.map((key) => [key, training[key]]));
}

export function shareRunOfLauncherChoice(choice: LauncherChoice): ShareRun {
  const training = trainingChanges(choice.training);
  const demo = choice.demo === null ? {} : { demo: choice.demo };
  switch (choice.mode) {
    case 'setting':
    case 'width': // a link has no field for a width sweep's widths: it carries the one setting (the Runs page says so)
      return { selection: { kind: 'setting', setting: launcherSetting(choice) }, training };
    case 'grid':
      return { selection: { kind: 'task-grid', task: choice.task }, training, ...demo };
    case 'protocol':
      return { selection: { kind: 'protocol', profile: choice.profile }, training, ...demo };
  }
}

/** Whether two settings agree on every field but the seed and, unless `withSizes`, the sizes. */
function sameSetting(a: TaskSetting, b: TaskSetting, withSizes: boolean): boolean {
  return (Object.keys(a) as (keyof TaskSetting)[]).every(
    (key) => key === 'seed' || (!withSizes && (SIZE_KEYS as readonly string[]).includes(key)) || a[key] === b[key],
  );
}

/**
 * The grid index of a shared setting: the setting itself when unchanged, else the one it differs
 * from only in its sizes (sizes the launcher lets the user change); null when neither exists.
 */
function gridIndexOf(setting: TaskSetting): number | null {
  const grid = settingsForTask(setting.task);
  const exact = grid.findIndex((candidate) => sameSetting(candidate, setting, true));
  if (exact >= 0) return exact;
  const resized = grid.findIndex((candidate) => sameSetting(candidate, setting, false));
  return resized >= 0 ? resized : null;
}

export function launcherChoiceOfShareRun(run: ShareRun): LauncherChoiceOutcome {
  const training = { ...DEFAULT_TRAINING, ...run.training };
  const demo = run.demo ?? null;
  const { selection } = run;
  switch (selection.kind) {
    case 'setting': {
      const { setting } = selection;
      const index = gridIndexOf(setting);
      if (index === null) {
        return { ok: false, reason: `its task setting ${settingName(setting)} is not in the ${setting.task} grid the launcher offers (it changes more than the sizes)` };
      }
      // The launcher has one seed, for the data and the training alike, as mad-lab does.
      if (run.training?.seed !== undefined && run.training.seed !== setting.seed) {
        return { ok: false, reason: `its data seed ${setting.seed} and training seed ${run.training.seed} differ, and the launcher uses one seed for both` };
      }
      return {
        ok: true,
        choice: { ...INITIAL_LAUNCHER_CHOICE, mode: 'setting', task: setting.task, settingIndex: index, sizes: sizesOf(setting), training: { ...training, seed: setting.seed } },
      };
    }
    case 'task-grid':
      return {
        ok: true,
        choice: { ...INITIAL_LAUNCHER_CHOICE, mode: 'grid', task: selection.task, settingIndex: 0, sizes: sizesOf(settingsForTask(selection.task)[0]!), demo, training },
      };
    case 'protocol':
      return { ok: true, choice: { ...INITIAL_LAUNCHER_CHOICE, mode: 'protocol', profile: selection.profile, demo, training } };
  }
}
