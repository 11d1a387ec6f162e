// What the Runs launcher decides about the runs it starts: what to train on (one setting with its
// sizes, a task's grid, or a protocol profile, optionally at demo scale) and the training
// hyper-parameters with the seed. Plain data: the launcher store holds it, a share link carries it.
import type { ProtocolName } from '../config/protocols.ts';
import type { DemoScale } from '../share/shareState.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../train/types.ts';
import type { SweepKind } from '../worker/runRecords.ts';
import { settingsForTask } from './explorerStore.ts';

/** The sizes of one setting a user may change. */
export interface SettingSizes {
  vocabSize: number;
  seqLen: number;
  numTrainExamples: number;
  numTestExamples: number;
}

export interface LauncherChoice {
  mode: SweepKind;
  task: TaskName;
  /** Index into the task's grid (mode 'setting'). */
  settingIndex: number;
  /** Mode 'setting': the sizes to train at (initially the grid setting's). */
  sizes: SettingSizes;
  profile: ProtocolName;
  /** Modes 'grid' and 'protocol': shrink every run, or null for the benchmark's sizes. */
  demo: DemoScale | null;
  /** The seed among them: mad-lab's one seed, for the data and the training alike. */
  training: TrainingHyperparameters;
}

/** The sizes to run a grid setting at by default. */
export function sizesOf(setting: TaskSetting): SettingSizes {
  const { vocabSize, seqLen, numTrainExamples, numTestExamples } = setting;
  return { vocabSize, seqLen, numTrainExamples, numTestExamples };
}

const INITIAL_TASK: TaskName = 'in-context-recall';

/** What the launcher shows first, and what a link leaves unsaid (a grid link's sizes, say). */
export const INITIAL_LAUNCHER_CHOICE: LauncherChoice = {
  mode: 'setting',
  task: INITIAL_TASK,
  settingIndex: 0,
  sizes: sizesOf(settingsForTask(INITIAL_TASK)[0]!),
  profile: 'quick',
  demo: null,
  training: DEFAULT_TRAINING,
};
