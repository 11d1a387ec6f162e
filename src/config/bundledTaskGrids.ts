// The benchmark grids of configs/tasks/*.yml, bundled as text at build time (browser and Vitest).

import { TASK_NAMES, type TaskName } from '../tasks/types.ts';
import { parseTaskGrid, type TaskGrid } from './taskGrid.ts';

const ymlTextByPath: Record<string, string> = import.meta.glob('../../configs/tasks/*.yml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function bundledGrid(task: TaskName): TaskGrid {
  const text = ymlTextByPath[`../../configs/tasks/${task}.yml`];
  if (text === undefined) throw new Error(`configs/tasks/${task}.yml is missing from the bundle`);
  return parseTaskGrid(task, text);
}

export const TASK_GRIDS: Record<TaskName, TaskGrid> = Object.fromEntries(
  TASK_NAMES.map((task) => [task, bundledGrid(task)]),
) as Record<TaskName, TaskGrid>;
