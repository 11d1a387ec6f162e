// Parses a configs/tasks/<task>.yml benchmark grid: a baseline setting plus changes that are
// each applied to the baseline alone, one factor at a time (docs/protocol.md §3).

import { parse } from 'yaml';
import { MAD_DEFAULTS, validateSetting } from '../tasks/settings.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';

export interface TaskGrid {
  task: TaskName;
  baseline: TaskSetting;
  changes: { key: keyof TaskSetting; values: (number | boolean)[] }[];
}

type SettingField = Exclude<keyof TaskSetting, 'task'>;
type ValueKind = 'integer' | 'number' | 'boolean';

/** mad-lab's yml key names (MADConfig fields) and what each holds. */
const YML_KEYS: Record<string, { field: SettingField; kind: ValueKind }> = {
  vocab_size: { field: 'vocabSize', kind: 'integer' },
  seq_len: { field: 'seqLen', kind: 'integer' },
  num_train_examples: { field: 'numTrainExamples', kind: 'integer' },
  num_test_examples: { field: 'numTestExamples', kind: 'integer' },
  frac_noise: { field: 'fracNoise', kind: 'number' },
  noise_vocab_size: { field: 'noiseVocabSize', kind: 'integer' },
  num_tokens_to_copy: { field: 'numTokensToCopy', kind: 'integer' },
  k_motif_size: { field: 'kMotifSize', kind: 'integer' },
  v_motif_size: { field: 'vMotifSize', kind: 'integer' },
  multi_query: { field: 'multiQuery', kind: 'boolean' },
  seed: { field: 'seed', kind: 'integer' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FITS_KIND: Record<ValueKind, (value: unknown) => boolean> = {
  integer: Number.isSafeInteger,
  number: Number.isFinite,
  boolean: (value) => typeof value === 'boolean',
};

function checkedValue(file: string, where: string, kind: ValueKind, value: unknown): number | boolean {
  if (!FITS_KIND[kind](value)) {
    throw new Error(`${file}: ${where} must be ${kind === 'integer' ? 'an' : 'a'} ${kind}, got ${JSON.stringify(value)}`);
  }
  return value as number | boolean;
}

function lookUpKey(file: string, section: string, ymlKey: string): { field: SettingField; kind: ValueKind } {
  const entry = YML_KEYS[ymlKey];
  if (entry === undefined) {
    throw new Error(`${file}: unknown key ${section}.${ymlKey}; allowed keys: ${Object.keys(YML_KEYS).join(', ')}`);
  }
  return entry;
}

/**
 * `base` with the mad-lab yml keys of `mapping` (e.g. `{ seq_len: 256 }`) applied; throws naming
 * `file` and `section` for unknown keys or wrong value types. The result is not validated.
 */
export function applySettingKeys(file: string, section: string, base: TaskSetting, mapping: Record<string, unknown>): TaskSetting {
  const setting = { ...base };
  for (const [ymlKey, value] of Object.entries(mapping)) {
    const { field, kind } = lookUpKey(file, section, ymlKey);
    Object.assign(setting, { [field]: checkedValue(file, `${section}.${ymlKey}`, kind, value) });
  }
  return setting;
}

/** Throws an Error naming the file and key for malformed yml, unknown keys or wrong value types. */
export function parseTaskGrid(task: TaskName, ymlText: string): TaskGrid {
  const file = `configs/tasks/${task}.yml`;
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (error) {
    throw new Error(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(doc)) throw new Error(`${file}: expected a mapping with "baseline" and "changes"`);
  for (const topKey of Object.keys(doc)) {
    if (topKey !== 'baseline' && topKey !== 'changes') throw new Error(`${file}: unknown top-level key "${topKey}"`);
  }
  const { baseline: rawBaseline, changes: rawChanges = {} } = doc;
  if (!isRecord(rawBaseline)) throw new Error(`${file}: "baseline" must be a mapping`);
  if (!isRecord(rawChanges)) throw new Error(`${file}: "changes" must be a mapping of key to list of values`);

  // Fields the file does not set fall back to MADConfig's defaults.
  const baseline = applySettingKeys(file, 'baseline', { ...MAD_DEFAULTS, task }, rawBaseline);

  const changes: TaskGrid['changes'] = Object.entries(rawChanges).map(([ymlKey, values]) => {
    const { field, kind } = lookUpKey(file, 'changes', ymlKey);
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(`${file}: changes.${ymlKey} must be a non-empty list of values`);
    }
    return { key: field, values: values.map((value, i) => checkedValue(file, `changes.${ymlKey}[${i}]`, kind, value)) };
  });

  const grid: TaskGrid = { task, baseline, changes };
  for (const setting of enumerateSettings(grid)) {
    try {
      validateSetting(setting);
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return grid;
}

/** The baseline first, then the baseline with one key replaced by each of its values, in file order. */
export function enumerateSettings(grid: TaskGrid): TaskSetting[] {
  const settings = [grid.baseline];
  for (const { key, values } of grid.changes) {
    for (const value of values) settings.push({ ...grid.baseline, [key]: value });
  }
  return settings;
}
