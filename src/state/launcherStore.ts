// State of the Runs page's launcher: the choice of what to train and how (launcherChoice.ts), the
// model, and how often to checkpoint. A store rather than component state, so the choices survive
// a visit to another page, a share link can carry them, and opening a link can fill them in.
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ProtocolName } from '../config/protocols.ts';
import type { DemoScale, ShareRun } from '../share/shareState.ts';
import type { TaskName } from '../tasks/types.ts';
import type { TrainingHyperparameters } from '../train/types.ts';
import { DEFAULT_RUN_OPTIONS, type SweepKind } from '../storage/runRecords.ts';
import { settingsForTask } from '../config/taskGridFiles.ts';
import { INITIAL_LAUNCHER_CHOICE, launcherChoiceProblems, sizesOf, type LauncherChoice, type LauncherProblem, type SettingSizes } from './launcherChoice.ts';
import { launcherChoiceOfShareRun } from './launcherShareRun.ts';

/**
 * Opening a link's run: refused with the reason, or filled in. A value over a size limit is filled
 * in as it is (the launcher marks its field and will not run it) and listed in `problems`, so the
 * page that opened the link says so too.
 */
export type OpenShareRunResult = { ok: true; problems: LauncherProblem[] } | { ok: false; reason: string };

interface LauncherState extends LauncherChoice {
  /** An id of the Runs page's model choices, or null for the Builder's model. */
  modelChoiceId: string | null;
  checkpointEvery: number;

  setMode: (mode: SweepKind) => void;
  /** Picks a setting of a task's grid, with that setting's sizes. */
  chooseSetting: (task: TaskName, settingIndex: number) => void;
  setSizes: (change: Partial<SettingSizes>) => void;
  /** A width sweep's list of widths, as typed. */
  setWidths: (widths: string) => void;
  setProfile: (profile: ProtocolName) => void;
  setDemo: (demo: DemoScale | null) => void;
  setModelChoice: (id: string | null) => void;
  editTraining: (change: Partial<TrainingHyperparameters>) => void;
  setCheckpointEvery: (epochs: number) => void;
  /** A few hundred examples and a few epochs, in every mode: trains in seconds even on a CPU adapter. */
  applyDemoScale: () => void;
  /** Fills in the run a share link carries, with the Builder's model (where the link's model opens). */
  openShareRun: (run: ShareRun) => OpenShareRunResult;
}

const DEMO_SIZES: Pick<SettingSizes, 'numTrainExamples' | 'numTestExamples'> = { numTrainExamples: 256, numTestExamples: 64 };
/** The demo scale the checkbox and the "Demo sizes" button start from. */
export const DEMO_SCALE: DemoScale = { ...DEMO_SIZES, epochs: 4 };
const DEMO_TRAINING: Partial<TrainingHyperparameters> = { epochs: 4, batchSize: 32, lr: 5e-3 };

export const useLauncherStore = create<LauncherState>()((set, get) => ({
  ...INITIAL_LAUNCHER_CHOICE,
  modelChoiceId: null,
  checkpointEvery: DEFAULT_RUN_OPTIONS.checkpointEvery,

  setMode: (mode) => set({ mode }),
  chooseSetting: (task, settingIndex) => set({ task, settingIndex, sizes: sizesOf(settingsForTask(task)[settingIndex]!) }),
  setSizes: (change) => set({ sizes: { ...get().sizes, ...change } }),
  setWidths: (widths) => set({ widths }),
  setProfile: (profile) => set({ profile }),
  setDemo: (demo) => set({ demo }),
  setModelChoice: (modelChoiceId) => set({ modelChoiceId }),
  editTraining: (change) => set({ training: { ...get().training, ...change } }),
  setCheckpointEvery: (checkpointEvery) => set({ checkpointEvery }),
  applyDemoScale: () => set({ sizes: { ...get().sizes, ...DEMO_SIZES }, demo: DEMO_SCALE, training: { ...get().training, ...DEMO_TRAINING } }),
  openShareRun: (run) => {
    const outcome = launcherChoiceOfShareRun(run);
    if (!outcome.ok) return outcome;
    set({ ...outcome.choice, modelChoiceId: null });
    return { ok: true, problems: launcherChoiceProblems(outcome.choice) };
  },
}));

const choiceOf = ({ mode, task, settingIndex, sizes, widths, profile, demo, training }: LauncherState): LauncherChoice => ({
  mode,
  task,
  settingIndex,
  sizes,
  widths,
  profile,
  demo,
  training,
});

/** The launcher's current choice (what a share link carries), re-rendering only when it changes. */
export function useLauncherChoice(): LauncherChoice {
  return useLauncherStore(useShallow(choiceOf));
}
