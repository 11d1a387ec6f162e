// State of the Task Explorer page: which task and setting are shown, which view (test or training
// targets), the example currently on screen, and the finished run whose predictions are shown.
// Every change goes through a named action.
import { create } from 'zustand';
import { settingsForTask } from '../config/taskGridFiles.ts';
import { createTaskStream, type Split, type TaskStream } from '../tasks/stream.ts';
import type { TaskInstance, TaskName, TaskSetting } from '../tasks/types.ts';

/** The same draw seen both ways: as a test instance and as a training instance. */
export interface ExamplePair {
  test: TaskInstance;
  train: TaskInstance;
}

/** A finished run whose predictions the explorer shows, with the setting it trained on. */
export interface PredictionSource {
  runId: string;
  setting: TaskSetting;
}

interface ExplorerState {
  task: TaskName;
  /**
   * Index into settingsForTask(task): 0 is the baseline, then the grid's one-at-a-time changes;
   * −1 while predictions of a run whose setting is not on the grid are shown.
   */
  settingIndex: number;
  /** While set, the examples are that run's test split (its setting, after its training draws). */
  predictionSource: PredictionSource | null;
  view: Split;
  /** 1 for the first example drawn for the current setting. */
  exampleNumber: number;
  example: ExamplePair;
  selectTask: (task: TaskName) => void;
  selectSetting: (settingIndex: number) => void;
  showView: (view: Split) => void;
  drawAnotherExample: () => void;
  showPredictions: (runId: string, setting: TaskSetting) => void;
  hidePredictions: () => void;
}

export function currentSetting(state: Pick<ExplorerState, 'task' | 'settingIndex' | 'predictionSource'>): TaskSetting {
  return state.predictionSource?.setting ?? settingsForTask(state.task)[state.settingIndex];
}

/**
 * Whether two settings draw the same instances: every field but the split sizes, which only say
 * how many are drawn (the seed matters: memorization's fact table comes from it).
 */
export function drawsSameInstances(a: TaskSetting, b: TaskSetting): boolean {
  const { numTrainExamples: _trainA, numTestExamples: _testA, ...restA } = a;
  const { numTrainExamples: _trainB, numTestExamples: _testB, ...restB } = b;
  return (Object.keys(restA) as (keyof typeof restA)[]).every((field) => restA[field] === restB[field]);
}

// Two streams from the same setting (same seed), advanced in lockstep. The MAD generators differ
// between splits only in their targets, except fuzzy recall (training keys of 1…k tokens), so draw k
// of both streams is the same sequence and the view toggle shows its training targets.
// The explorer draws test instances straight from a fresh stream; the real test split starts only
// after numTrainExamples training draws, which is irrelevant for showing what an instance looks like.
// Streams are stateful objects, so they live here rather than in the (plain-data) store state.
// A run's test split continues the stream after its training draws (buildDataset), so to show
// instances the run never trained on, both streams first skip `skipTraining` draws.
function openStreams(setting: TaskSetting, skipTraining = 0): Record<Split, TaskStream> {
  const open = { test: createTaskStream(setting), train: createTaskStream(setting) };
  for (let i = 0; i < skipTraining; i++) {
    open.test.next('train');
    open.train.next('train');
  }
  return open;
}

function drawPair(open: Record<Split, TaskStream>): ExamplePair {
  return { test: open.test.next('test'), train: open.train.next('train') };
}

const INITIAL_TASK: TaskName = 'in-context-recall';
let streams = openStreams(settingsForTask(INITIAL_TASK)[0]);

export const useExplorerStore = create<ExplorerState>()((set, get) => ({
  task: INITIAL_TASK,
  settingIndex: 0,
  predictionSource: null,
  view: 'test',
  exampleNumber: 1,
  example: drawPair(streams),

  selectTask: (task) => {
    if (task === get().task && !get().predictionSource) return;
    streams = openStreams(settingsForTask(task)[0]);
    set({ task, settingIndex: 0, predictionSource: null, exampleNumber: 1, example: drawPair(streams) });
  },

  selectSetting: (settingIndex) => {
    const { task, settingIndex: current, predictionSource } = get();
    const setting = settingsForTask(task)[settingIndex];
    if ((settingIndex === current && !predictionSource) || !setting) return;
    streams = openStreams(setting);
    set({ settingIndex, predictionSource: null, exampleNumber: 1, example: drawPair(streams) });
  },

  showView: (view) => set({ view }),

  drawAnotherExample: () => {
    const example = drawPair(streams);
    set((state) => ({ example, exampleNumber: state.exampleNumber + 1 }));
  },

  showPredictions: (runId, setting) => {
    const settingIndex = settingsForTask(setting.task).findIndex((grid) => drawsSameInstances(grid, setting));
    streams = openStreams(setting, setting.numTrainExamples);
    set({ task: setting.task, settingIndex, predictionSource: { runId, setting }, view: 'test', exampleNumber: 1, example: drawPair(streams) });
  },

  hidePredictions: () => {
    const { task, settingIndex, predictionSource } = get();
    if (!predictionSource) return;
    const shown = Math.max(0, settingIndex);
    streams = openStreams(settingsForTask(task)[shown]);
    set({ settingIndex: shown, predictionSource: null, exampleNumber: 1, example: drawPair(streams) });
  },
}));
