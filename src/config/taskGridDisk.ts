// The benchmark grids read from a configs directory on disk that the caller names, the repository's
// by default (Node only: the CLI and scripts); taskGridFiles.ts holds the repository's own.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TASK_NAMES, type TaskName } from '../tasks/types.ts';
import { parseTaskGrid, type TaskGrid } from './taskGrid.ts';

/** The repository's configs/ folder, found relative to this source file. */
const DEFAULT_CONFIGS_DIR = fileURLToPath(new URL('../../configs/', import.meta.url));

/** Reads `<configsDir>/tasks/<task>.yml` for every task; throws naming the file that is missing or malformed. */
export function loadTaskGrids(configsDir: string = DEFAULT_CONFIGS_DIR): Record<TaskName, TaskGrid> {
  return Object.fromEntries(
    TASK_NAMES.map((task) => [task, parseTaskGrid(task, readFileSync(join(configsDir, 'tasks', `${task}.yml`), 'utf8'))]),
  ) as Record<TaskName, TaskGrid>;
}
