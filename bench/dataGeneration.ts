// Benchmark: time to build the datasets of all 66 MAD benchmark settings, in memory, one thread.
// `npm run bench -- data` measures, prints the table and writes the "Data generation" section of
// docs/benchmarks.md; measureDataGeneration() returns the figures as an object.
import { cpus, platform, release } from 'node:os';
import { loadTaskGrids } from '../src/config/taskGridDisk.ts';
import { enumerateSettings } from '../src/config/taskGrid.ts';
import { buildDataset } from '../src/tasks/dataset.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../src/tasks/types.ts';


export interface DataGenerationFigures {
  date: string;
  machine: { cpu: string; cores: number; node: string; os: string };
  tasks: { task: TaskName; settings: number; testSeconds: number; totalSeconds: number }[];
  /** Every setting's test split built on its own (numTestExamples, 1,280 in the grid). */
  testSeconds: number;
  /** Every setting's full build: train then test from one stream, plus the leakage check. */
  totalSeconds: number;
}

export function measureDataGeneration(onSetting?: (done: number, total: number, setting: TaskSetting) => void): DataGenerationFigures {
  const grids = loadTaskGrids();
  const settings = TASK_NAMES.flatMap((task) => enumerateSettings(grids[task]));
  const tasks: DataGenerationFigures['tasks'] = [];
  let done = 0;
  for (const task of TASK_NAMES) {
    const row = { task, settings: 0, testSeconds: 0, totalSeconds: 0 };
    for (const setting of settings.filter((s) => s.task === task)) {
      row.totalSeconds += timeSeconds(() => buildDataset(setting));
      // Same generator and cost per instance; only the stream position differs from the full build.
      row.testSeconds += timeSeconds(() => buildDataset({ ...setting, numTrainExamples: 0 }));
      row.settings++;
      onSetting?.(++done, settings.length, setting);
    }
    tasks.push(row);
  }
  const cpu = cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpu: cpu[0]?.model ?? 'unknown CPU', cores: cpu.length, node: process.version, os: `${platform()} ${release()}` },
    tasks,
    testSeconds: sum(tasks.map((t) => t.testSeconds)),
    totalSeconds: sum(tasks.map((t) => t.totalSeconds)),
  };
}

/** The markdown section, title line included. */
export function renderDataGenerationSection(f: DataGenerationFigures): string {
  const s = (x: number) => x.toFixed(2);
  const settings = sum(f.tasks.map((t) => t.settings));
  return [
    `## Data generation`,
    '',
    'Time to build the datasets of every MAD benchmark setting (configs/tasks/*.yml) in memory on one',
    'thread, without writing files. "All splits" is what `npm run mad -- data` builds per setting: the',
    'train split, then the test split from the same stream, then the leakage check. "Test splits" builds',
    "each setting's 1,280-example test split on its own, what evaluation alone would need.",
    '',
    'Command: `npm run bench -- data`',
    '',
    `Machine: ${f.machine.cpu}, ${f.machine.cores} cores, Node ${f.machine.node}, ${f.machine.os}. Measured ${f.date}.`,
    '',
    '| task | settings | test splits (s) | all splits (s) |',
    '|---|---:|---:|---:|',
    ...f.tasks.map((t) => `| ${t.task} | ${t.settings} | ${s(t.testSeconds)} | ${s(t.totalSeconds)} |`),
    `| **total** | **${settings}** | **${s(f.testSeconds)}** | **${s(f.totalSeconds)}** |`,
    '',
  ].join('\n');
}

function timeSeconds(work: () => unknown): number {
  const t0 = performance.now();
  work();
  return (performance.now() - t0) / 1000;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
