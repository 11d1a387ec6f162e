// State of the Task Explorer page: which task and setting are shown, which view (test or training
// targets), and the example currently on screen. Every change goes through a named action.
import { create } from 'zustand';
import { TASK_GRIDS } from '../config/bundledTaskGrids.ts';
import { enumerateSettings } from '../config/taskGrid.ts';
import { createTaskStream, type Split, type TaskStream } from '../tasks/stream.ts';
import type { TaskInstance, TaskName, TaskSetting } from '../tasks/types.ts';

/** The same draw seen both ways: as a test instance and as a training instance. */
export interface ExamplePair {
  test: TaskInstance;
  train: TaskInstance;
}

interface ExplorerState {
  task: TaskName;
  /** Index into settingsForTask(task): 0 is the baseline, then the grid's one-at-a-time changes. */
  settingIndex: number;
  view: Split;
  /** 1 for the first example drawn for the current setting. */
  exampleNumber: number;
  example: ExamplePair;
  selectTask: (task: TaskName) => void;
  selectSetting: (settingIndex: number) => void;
  showView: (view: Split) => void;
  drawAnotherExample: () => void;
}

const settingsCache = new Map<TaskName, readonly TaskSetting[]>();

/** The task's benchmark grid, baseline first (cached: the grids never change at run time). */
export function settingsForTask(task: TaskName): readonly TaskSetting[] {
  let settings = settingsCache.get(task);
  if (!settings) {
    settings = enumerateSettings(TASK_GRIDS[task]);
    settingsCache.set(task, settings);
  }
  return settings;
}

export function currentSetting(state: Pick<ExplorerState, 'task' | 'settingIndex'>): TaskSetting {
  return settingsForTask(state.task)[state.settingIndex];
}

// Two streams from the same setting (same seed), advanced in lockstep. The MAD generators differ
// between splits only in their targets, except fuzzy recall (training keys of 1…k tokens), so draw k
// of both streams is the same sequence and the view toggle shows its training targets.
// The explorer draws test instances straight from a fresh stream; the real test split starts only
// after numTrainExamples training draws, which is irrelevant for showing what an instance looks like.
// Streams are stateful objects, so they live here rather than in the (plain-data) store state.
function openStreams(setting: TaskSetting): Record<Split, TaskStream> {
  return { test: createTaskStream(setting), train: createTaskStream(setting) };
}

function drawPair(open: Record<Split, TaskStream>): ExamplePair {
  return { test: open.test.next('test'), train: open.train.next('train') };
}

const INITIAL_TASK: TaskName = 'in-context-recall';
let streams = openStreams(settingsForTask(INITIAL_TASK)[0]);

export const useExplorerStore = create<ExplorerState>()((set, get) => ({
  task: INITIAL_TASK,
  settingIndex: 0,
  view: 'test',
  exampleNumber: 1,
  example: drawPair(streams),

  selectTask: (task) => {
    if (task === get().task) return;
    streams = openStreams(settingsForTask(task)[0]);
    set({ task, settingIndex: 0, exampleNumber: 1, example: drawPair(streams) });
  },

  selectSetting: (settingIndex) => {
    const { task, settingIndex: current } = get();
    const setting = settingsForTask(task).at(settingIndex);
    if (settingIndex === current || !setting) return;
    streams = openStreams(setting);
    set({ settingIndex, exampleNumber: 1, example: drawPair(streams) });
  },

  showView: (view) => set({ view }),

  drawAnotherExample: () => {
    const example = drawPair(streams);
    set((state) => ({ example, exampleNumber: state.exampleNumber + 1 }));
  },
}));
