// `mad data`: write mad-lab datasets (one setting, or a task's benchmark grid) in mad-lab's on-disk
// format, or check an existing data directory (ours, mad-lab's, or the Zenodo archive). A setting
// over the size policy's caps, or whose data exceed the memory budget, is refused before any is
// generated.
import { existsSync, mkdirSync } from 'node:fs';
import { loadTaskGrids } from '../../config/taskGridDisk.ts';
import { enumerateSettings } from '../../config/taskGrid.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { checkDataDir, settingDirPath, writeSettingDir, type SettingReport } from '../../tasks/madDataDir.ts';
import { MAD_DEFAULTS, makeSetting, settingName } from '../../tasks/settings.ts';
import { createTaskStream } from '../../tasks/stream.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../../tasks/types.ts';
import { dataMemoryProblem } from '../../train/runMemoryPlan.ts';
import { formatFlags, parseArgs, UsageError, type Command, type FlagSpecs, type ParsedFlags } from '../args.ts';
import { formatDuration, ProgressBar } from '../progress.ts';
import { DEFAULT_MEMORY_BUDGET_TEXT, parseMemoryBudget } from './trainingRuntime.ts';

/** train.py's task flags (docs/protocol.md §8.1), each with the TaskSetting field it sets. */
export const SETTING_FLAGS = {
  'vocab-size': 'vocabSize',
  'seq-len': 'seqLen',
  'num-train-examples': 'numTrainExamples',
  'num-test-examples': 'numTestExamples',
  'frac-noise': 'fracNoise',
  'noise-vocab-size': 'noiseVocabSize',
  'num-tokens-to-copy': 'numTokensToCopy',
  'k-motif-size': 'kMotifSize',
  'v-motif-size': 'vMotifSize',
  'multi-query': 'multiQuery',
  seed: 'seed',
} as const satisfies Record<string, Exclude<keyof TaskSetting, 'task'>>;

/** train.py's task flags; `mad train` shares them. */
export const TASK_FLAGS = {
  task: { kind: 'string', value: 'TASK', help: 'a task name (below), or all with --all-settings' },
  'vocab-size': { kind: 'integer', value: 'V', help: 'vocabulary size, special and noise tokens included' },
  'seq-len': { kind: 'integer', value: 'L', help: 'sequence length' },
  'num-train-examples': { kind: 'integer', value: 'N', help: 'training examples' },
  'num-test-examples': { kind: 'integer', value: 'M', help: 'test examples' },
  'frac-noise': { kind: 'number', value: 'F', help: 'noisy recall: probability that a key/value slot is noise' },
  'noise-vocab-size': { kind: 'integer', value: 'K', help: 'noise token ids, part of the vocabulary' },
  'num-tokens-to-copy': { kind: 'integer', value: 'C', help: 'selective copying: tokens to copy' },
  'k-motif-size': { kind: 'integer', value: 'A', help: 'fuzzy recall: tokens per key' },
  'v-motif-size': { kind: 'integer', value: 'B', help: 'fuzzy recall: tokens per value' },
  'multi-query': { kind: 'boolean', help: 'recall tasks: score every repeated key, not just the final probe' },
  seed: { kind: 'integer', value: 'S', help: 'data seed' },
} as const satisfies FlagSpecs;

const FLAGS = {
  ...TASK_FLAGS,
  out: { kind: 'string', value: 'DIR', help: 'data directory; each setting goes to DIR/<setting-name>/{train,test}/' },
  'all-settings': { kind: 'switch', help: "write every benchmark setting of the task (66 with --task all) instead of one" },
  force: { kind: 'switch', help: 'regenerate setting directories that exist (otherwise skipped: mad-lab loads them as-is)' },
  check: { kind: 'string', value: 'DIR', help: 'validate a data directory (one setting dir or a dir of them); no other flags' },
  'memory-budget': { kind: 'string', value: 'SIZE', help: "memory one setting's data may take (bytes, or e.g. 512MiB, 2GiB)" },
} as const satisfies FlagSpecs;

type DataFlags = ParsedFlags<typeof FLAGS>;

const DEFAULT_TASK: TaskName = 'in-context-recall'; // train.py's default

export const dataCommand: Command = {
  summary: "write mad-lab datasets (.npy, mad-lab's layout) or check a data directory",
  usage() {
    const defaults: Record<string, string> = { task: DEFAULT_TASK, 'memory-budget': DEFAULT_MEMORY_BUDGET_TEXT };
    for (const [flag, field] of Object.entries(SETTING_FLAGS)) {
      const value = MAD_DEFAULTS[field];
      defaults[flag] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
    }
    return [
      'usage: npm run mad -- data [--task TASK] [setting flags] --out DIR [--force]',
      '       npm run mad -- data --task TASK|all --all-settings --out DIR [--force]',
      '       npm run mad -- data --check DIR',
      '',
      "Writes DIR/<setting-name>/{train,test}/{inputs,targets}.npy (int64), as mad-lab's train.py does.",
      '',
      formatFlags(FLAGS, defaults),
      '',
      `tasks: ${TASK_NAMES.join(', ')}`,
    ].join('\n');
  },
  async run(argv) {
    const flags = parseArgs(argv, FLAGS);
    if (flags.check !== undefined) {
      const others = Object.keys(flags).filter((f) => f !== 'check');
      if (others.length > 0) throw new UsageError(`--check takes no other flags (got --${others.join(', --')})`);
      return check(flags.check);
    }
    return generate(flags);
  },
};

function generate(flags: DataFlags): number {
  if (flags.out === undefined) throw new UsageError('--out DIR is required');
  const out = flags.out;
  const force = flags.force ?? false;
  const settings = resolveSettings(flags);
  const budget = parseMemoryBudget(flags['memory-budget']);
  const oversized = settings.map((s) => dataMemoryProblem(s, budget, '--memory-budget')).filter((p) => p !== null);
  if (oversized.length > 0) throw new UsageError(oversized.map((p) => p.message).join(' '));
  if (settings.some((s) => !s.multiQuery)) {
    console.error('note: mad-lab names single-query data mq-1 as well (its quirk): the directory name cannot tell it from multi-query data');
  }
  mkdirSync(out, { recursive: true });

  const todo: TaskSetting[] = [];
  for (const setting of settings) {
    if (!force && existsSync(settingDirPath(out, setting))) {
      console.log(`${settingName(setting)}  exists, skipped (--force regenerates it)`);
    } else todo.push(setting);
  }
  const total = todo.reduce((sum, s) => sum + s.numTrainExamples + s.numTestExamples, 0);
  const bar = new ProgressBar(total);
  const started = performance.now();
  let doneBefore = 0;
  for (const [i, setting] of todo.entries()) {
    const name = settingName(setting);
    const label = `${i + 1}/${todo.length} ${name}`;
    const t0 = performance.now();
    const dataset = buildDataset(setting, { onProgress: (done) => bar.update(doneBefore + done, label) });
    writeSettingDir(out, dataset);
    doneBefore += setting.numTrainExamples + setting.numTestExamples;
    const { train, test, leakage } = dataset;
    const seconds = ((performance.now() - t0) / 1000).toFixed(2);
    const warning = leakage.warning === undefined ? '' : `  warning: ${leakage.warning}`;
    bar.clear();
    console.log(`${name}  train ${train.count}×${train.inputLength}  test ${test.count}×${test.inputLength}  ${seconds} s${warning}`);
  }
  bar.clear();
  const skipped = settings.length - todo.length;
  const elapsed = formatDuration((performance.now() - started) / 1000);
  console.log(`wrote ${plural(todo.length, 'setting')} to ${out} in ${elapsed}${skipped > 0 ? `, skipped ${skipped} existing` : ''}`);
  return 0;
}

/** The settings the flags ask for: one from train.py-style flags, or a benchmark grid. */
function resolveSettings(flags: DataFlags): TaskSetting[] {
  const task = flags.task ?? DEFAULT_TASK;
  if (task !== 'all' && !isTaskName(task)) throw new UsageError(`--task must be one of ${TASK_NAMES.join(', ')} or all, got '${task}'`);
  const given = Object.keys(SETTING_FLAGS).filter((flag) => flag in flags);
  if (flags['all-settings']) {
    if (given.length > 0) throw new UsageError(`--${given[0]} cannot be combined with --all-settings (the grid fixes every setting)`);
    const grids = loadTaskGrids();
    return (task === 'all' ? TASK_NAMES : [task]).flatMap((t) => enumerateSettings(grids[t]));
  }
  if (task === 'all') throw new UsageError('--task all needs --all-settings');
  const overrides: Partial<TaskSetting> = {};
  for (const flag of given) {
    const field = SETTING_FLAGS[flag as keyof typeof SETTING_FLAGS];
    Object.assign(overrides, { [field]: flags[flag as keyof typeof SETTING_FLAGS] });
  }
  try {
    const setting = makeSetting(task, overrides);
    createTaskStream(setting); // generators check their token layout when created: report it as a usage error
    return [setting];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function check(dir: string): number {
  const reports = checkDataDir(dir);
  for (const report of reports) console.log(formatReport(report));
  const failed = reports.filter((r) => r.problems.length > 0).length;
  const summary = failed === 0 ? 'all OK' : `${failed} with problems`;
  console.log(`checked ${plural(reports.length, 'setting')}: ${summary}`);
  return failed === 0 ? 0 : 1;
}

/** The summary line of one setting, then one indented line per problem. */
function formatReport(r: SettingReport): string {
  const fields = [
    r.name,
    `train ${r.trainCount ?? '?'}`,
    `test ${r.testCount ?? '?'}`,
    `len ${r.inputLength ?? '?'}`,
    `scored/test row ${r.meanScoredPerTestRow === undefined ? '?' : r.meanScoredPerTestRow.toFixed(1)}`,
    r.problems.length === 0 ? 'OK' : plural(r.problems.length, 'problem'),
  ];
  return [fields.join('  '), ...r.problems.map((p) => `  ${p}`)].join('\n');
}

function isTaskName(name: string): name is TaskName {
  return (TASK_NAMES as readonly string[]).includes(name);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
