// Benchmark: time to build the datasets of all 66 MAD benchmark settings, in memory, one thread.
// `npx tsx bench/dataGeneration.ts` measures, prints the table and writes the "Data generation"
// section of docs/benchmarks.md; measureDataGeneration() returns the same figures for other callers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatDuration, ProgressBar } from '../src/cli/progress.ts';
import { loadTaskGrids } from '../src/config/diskTaskGrids.ts';
import { enumerateSettings } from '../src/config/taskGrid.ts';
import { buildDataset } from '../src/tasks/dataset.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../src/tasks/types.ts';

const SECTION_TITLE = 'Data generation';
const BENCHMARKS_DOC = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

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
    `## ${SECTION_TITLE}`,
    '',
    'Time to build the datasets of every MAD benchmark setting (configs/tasks/*.yml) in memory on one',
    'thread, without writing files. "All splits" is what `npm run mad -- data` builds per setting: the',
    'train split, then the test split from the same stream, then the leakage check. "Test splits" builds',
    "each setting's 1,280-example test split on its own, what evaluation alone would need.",
    '',
    'Command: `npx tsx bench/dataGeneration.ts`',
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

/** Replaces the `## <title>` section of a markdown text (up to the next `## `), or appends it. */
export function replaceSection(markdown: string, title: string, section: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === `## ${title}`);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = next < 0 ? '' : `\n${lines.slice(next).join('\n')}`;
  return `${before === '' ? '' : `${before}\n\n`}${section.trimEnd()}\n${after}`;
}

function timeSeconds(work: () => unknown): number {
  const t0 = performance.now();
  work();
  return (performance.now() - t0) / 1000;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function main(): void {
  let bar: ProgressBar | undefined;
  const figures = measureDataGeneration((done, total, setting) => {
    bar ??= new ProgressBar(total);
    bar.update(done, `${done}/${total} ${setting.task}`);
  });
  bar?.clear();
  const section = renderDataGenerationSection(figures);
  const doc = existsSync(BENCHMARKS_DOC)
    ? readFileSync(BENCHMARKS_DOC, 'utf8')
    : '# Benchmarks\n\nMeasured figures; each section names the command that regenerates it.\n';
  writeFileSync(BENCHMARKS_DOC, replaceSection(doc, SECTION_TITLE, section));
  console.log(section);
  console.log(`wrote the "${SECTION_TITLE}" section of ${BENCHMARKS_DOC} (${formatDuration(figures.totalSeconds + figures.testSeconds)} measured)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
