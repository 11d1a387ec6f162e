// The benchmark grids of the repository's configs/tasks/*.yml (read through configFiles.ts: bundled
// in the browser and Vitest, from disk under plain Node). taskGridDisk.ts reads another directory.

import { TASK_NAMES, type TaskName, type TaskSetting } from '../tasks/types.ts';
import { configTexts } from './configFiles.ts';
import { enumerateSettings, parseTaskGrid, type TaskGrid } from './taskGrid.ts';

const texts = configTexts('tasks', () => import.meta.glob('../../configs/tasks/*.yml', { query: '?raw', import: 'default', eager: true }));

function grid(task: TaskName): TaskGrid {
  const text = texts[task];
  if (text === undefined) throw new Error(`configs/tasks/${task}.yml is missing`);
  return parseTaskGrid(task, text);
}

export const TASK_GRIDS: Record<TaskName, TaskGrid> = Object.fromEntries(TASK_NAMES.map((task) => [task, grid(task)])) as Record<TaskName, TaskGrid>;

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
