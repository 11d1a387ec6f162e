// Parses a protocol profile (configs/protocols/<name>.yml): which task settings an architecture is
// trained on, for how many epochs, over which (lr, weight decay) sweep, with which early stop.
// The `full` profile is mad-lab's benchmark (docs/protocol.md §3, §6, §7); smaller ones trade fidelity for time.
//
// Format (mad-lab's key names inside settings):
//   description: one line
//   compute_relative_to_full: 0.0123   # checked by a test against src/train/protocolCompute.ts
//   epochs: 200                        # a task may override it
//   lr: [0.0001, 0.0005, 0.001]
//   weight_decay: [0.0, 0.1]
//   early_stop: false                  # true adds mad-lab's --early-stop (stop_patience epochs)
//   stop_patience: 20
//   tasks:
//     in-context-recall: { settings: grid }                      # every setting of configs/tasks/<task>.yml
//     memorization: { epochs: 200, settings: [baseline, { vocab_size: 1024 }] }  # the baseline with keys replaced

import { parse } from 'yaml';
import { createTaskStream } from '../tasks/stream.ts';
import { settingName } from '../tasks/settings.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../tasks/types.ts';
import { applySettingKeys, enumerateSettings, type TaskGrid } from './taskGrid.ts';

/** The profiles in configs/protocols/, smallest first. */
export const PROTOCOL_NAMES = ['quick', 'standard', 'full'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export interface SweepPoint {
  lr: number;
  weightDecay: number;
}

export interface ProtocolTask {
  task: TaskName;
  epochs: number;
  settings: TaskSetting[];
}

export interface ProtocolProfile {
  name: string;
  description: string;
  /** The profile's own statement of its compute as a fraction of full's; a test recomputes it. */
  computeRelativeToFull: number;
  /** lr-major, weight decay inner: mad-lab's loop order. */
  sweep: SweepPoint[];
  earlyStop: boolean;
  stopPatience: number;
  /** In mad-lab's task order; a profile may leave tasks out. */
  tasks: ProtocolTask[];
}

const TOP_KEYS = ['description', 'compute_relative_to_full', 'epochs', 'lr', 'weight_decay', 'early_stop', 'stop_patience', 'tasks'] as const;
const TASK_KEYS = ['epochs', 'settings'] as const;
/** mad-lab's stop_patience default (train.py --stop-patience). */
const DEFAULT_STOP_PATIENCE = 20;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Throws one sentence naming `file` and the key at fault. */
export function parseProtocol(name: string, file: string, ymlText: string, grids: Record<TaskName, TaskGrid>): ProtocolProfile {
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (error) {
    throw new Error(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fail = (what: string): Error => new Error(`${file}: ${what}`);
  if (!isRecord(doc)) throw fail(`expected a mapping with ${TOP_KEYS.join(', ')}`);
  for (const key of Object.keys(doc)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) throw fail(`unknown key "${key}"; allowed keys: ${TOP_KEYS.join(', ')}`);
  }
  const positiveInteger = (where: string, value: unknown): number => {
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw fail(`${where} must be a positive integer, got ${show(value)}`);
    return value as number;
  };
  const numbers = (where: string, value: unknown, ok: (x: number) => boolean, what: string): number[] => {
    if (!Array.isArray(value) || value.length === 0) throw fail(`${where} must be a non-empty list of ${what}, got ${show(value)}`);
    return value.map((x, i) => {
      if (typeof x !== 'number' || !ok(x)) throw fail(`${where}[${i}] must be ${what.replace(/s$/, '')}, got ${show(x)}`);
      return x;
    });
  };

  if (typeof doc.description !== 'string' || doc.description.trim() === '') throw fail('description must be a non-empty string');
  const relative = doc.compute_relative_to_full;
  if (typeof relative !== 'number' || !(relative > 0 && relative <= 1)) {
    throw fail(`compute_relative_to_full must be a number in (0, 1], got ${show(relative)}`);
  }
  const epochs = positiveInteger('epochs', doc.epochs);
  const lrs = numbers('lr', doc.lr, (x) => Number.isFinite(x) && x > 0, 'positive numbers');
  const weightDecays = numbers('weight_decay', doc.weight_decay, (x) => Number.isFinite(x) && x >= 0, 'numbers ≥ 0');
  const earlyStop = doc.early_stop ?? false;
  if (typeof earlyStop !== 'boolean') throw fail(`early_stop must be true or false, got ${show(earlyStop)}`);
  const stopPatience = doc.stop_patience === undefined ? DEFAULT_STOP_PATIENCE : positiveInteger('stop_patience', doc.stop_patience);

  if (!isRecord(doc.tasks) || Object.keys(doc.tasks).length === 0) throw fail('tasks must map at least one task name to { settings, epochs? }');
  for (const task of Object.keys(doc.tasks)) {
    if (!(TASK_NAMES as readonly string[]).includes(task)) throw fail(`unknown task "${task}" under tasks; tasks: ${TASK_NAMES.join(', ')}`);
  }
  const rawTasks = doc.tasks;
  const tasks = TASK_NAMES.filter((task) => task in rawTasks).map((task): ProtocolTask => {
    const entry = rawTasks[task];
    const where = `tasks.${task}`;
    if (!isRecord(entry)) throw fail(`${where} must be a mapping with settings and optional epochs`);
    for (const key of Object.keys(entry)) {
      if (!(TASK_KEYS as readonly string[]).includes(key)) throw fail(`unknown key "${key}" under ${where}; allowed keys: ${TASK_KEYS.join(', ')}`);
    }
    const settings = taskSettings(file, where, grids[task], entry.settings);
    const names = settings.map(settingName);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined) throw fail(`${where}.settings lists ${repeated} twice`);
    for (const setting of settings) {
      try {
        createTaskStream(setting); // validates the setting and the task's token layout
      } catch (error) {
        throw fail(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { task, epochs: entry.epochs === undefined ? epochs : positiveInteger(`${where}.epochs`, entry.epochs), settings };
  });

  return {
    name,
    description: doc.description.trim(),
    computeRelativeToFull: relative,
    sweep: lrs.flatMap((lr) => weightDecays.map((weightDecay) => ({ lr, weightDecay }))),
    earlyStop,
    stopPatience,
    tasks,
  };
}

/** `grid`, or a list of `baseline` and mappings of mad-lab keys applied to the grid's baseline. */
function taskSettings(file: string, where: string, grid: TaskGrid, value: unknown): TaskSetting[] {
  if (value === 'grid') return enumerateSettings(grid);
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${file}: ${where}.settings must be "grid" or a non-empty list of "baseline" and mappings of setting keys, got ${show(value)}`);
  }
  return value.map((item, i) => {
    if (item === 'baseline') return grid.baseline;
    if (!isRecord(item)) throw new Error(`${file}: ${where}.settings[${i}] must be "baseline" or a mapping of setting keys, got ${show(item)}`);
    return applySettingKeys(file, `${where}.settings[${i}]`, grid.baseline, item);
  });
}

/** Every setting of a profile, task by task. */
export function protocolSettings(profile: ProtocolProfile): TaskSetting[] {
  return profile.tasks.flatMap((t) => t.settings);
}
