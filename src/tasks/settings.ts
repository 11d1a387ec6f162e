// Task settings: MAD's defaults, validation, and mad-lab's setting directory names.

import { SizeLimitError, settingSizeProblems } from '../config/sizePolicy.ts';
import { TASK_NAMES, TASK_SHORTHAND, type TaskName, type TaskSetting } from './types.ts';

/** MADConfig's defaults (docs/protocol.md §3); a task yml only overrides some of them. */
export const MAD_DEFAULTS: Omit<TaskSetting, 'task'> = {
  vocabSize: 16,
  seqLen: 128,
  numTrainExamples: 12_800,
  numTestExamples: 1_280,
  fracNoise: 0,
  noiseVocabSize: 0,
  numTokensToCopy: 0,
  kMotifSize: 1,
  vMotifSize: 1,
  multiQuery: true,
  seed: 12_345,
};

export function makeSetting(task: TaskName, overrides: Partial<TaskSetting> = {}): TaskSetting {
  const setting: TaskSetting = { ...MAD_DEFAULTS, ...overrides, task };
  validateSetting(setting);
  return setting;
}

/** The error every setting check throws, so messages read alike. */
export function invalidSetting(setting: TaskSetting, why: string): Error {
  return new Error(`Invalid ${setting.task} setting: ${why}`);
}

type IntegerField = Exclude<keyof TaskSetting, 'task' | 'fracNoise' | 'multiQuery'>;

/** Smallest allowed value of each integer field. */
const INTEGER_MINIMUM: Record<IntegerField, number> = {
  vocabSize: 1,
  seqLen: 1,
  numTrainExamples: 0,
  numTestExamples: 0,
  noiseVocabSize: 0,
  numTokensToCopy: 0,
  kMotifSize: 1,
  vMotifSize: 1,
  seed: 0,
};

/**
 * Checks field types and ranges shared by all tasks, then the size policy's caps (a SizeLimitError
 * naming each size over its limit), so no generator ever allocates for an oversized setting;
 * generators check their own layout needs.
 */
export function validateSetting(setting: TaskSetting): void {
  if (!TASK_NAMES.includes(setting.task)) {
    throw new Error(`Unknown task "${String(setting.task)}"; expected one of ${TASK_NAMES.join(', ')}`);
  }
  for (const [field, minimum] of Object.entries(INTEGER_MINIMUM) as [IntegerField, number][]) {
    const value = setting[field];
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw invalidSetting(setting, `${field} must be an integer ≥ ${minimum}, got ${value}`);
    }
  }
  if (!(setting.fracNoise >= 0 && setting.fracNoise <= 1)) {
    throw invalidSetting(setting, `fracNoise must lie in [0, 1], got ${setting.fracNoise}`);
  }
  if (typeof setting.multiQuery !== 'boolean') {
    throw invalidSetting(setting, `multiQuery must be a boolean, got ${String(setting.multiQuery)}`);
  }
  const oversize = settingSizeProblems(setting);
  if (oversize.length > 0) throw new SizeLimitError(oversize);
}

/** One `key-value` part of a setting name, in mad-lab's order. */
interface NamePart {
  key: string;
  /** mad-lab's yml name, used in error messages. */
  label: string;
  format(s: TaskSetting): string;
  /** Writes the parsed value into the setting, or returns why the text is malformed. */
  parse(text: string, into: Partial<TaskSetting>): string | undefined;
}

function integerPart(key: string, label: string, field: IntegerField): NamePart {
  return {
    key,
    label,
    format: (s) => String(s[field]),
    parse(text, into) {
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return 'is not a non-negative integer';
      into[field] = Number(text);
      return undefined;
    },
  };
}

const NAME_PARTS: readonly NamePart[] = [
  {
    key: 't',
    label: 'task',
    format: (s) => TASK_SHORTHAND[s.task],
    parse(text, into) {
      const task = TASK_NAMES.find((name) => TASK_SHORTHAND[name] === text);
      if (task === undefined) return `is not a task shorthand (${Object.values(TASK_SHORTHAND).join(', ')})`;
      into.task = task;
      return undefined;
    },
  },
  integerPart('vs', 'vocab_size', 'vocabSize'),
  integerPart('sl', 'seq_len', 'seqLen'),
  integerPart('ntr', 'num_train_examples', 'numTrainExamples'),
  integerPart('nte', 'num_test_examples', 'numTestExamples'),
  integerPart('km', 'k_motif_size', 'kMotifSize'),
  integerPart('vm', 'v_motif_size', 'vMotifSize'),
  {
    key: 'mq',
    label: 'multi_query',
    // mad-lab quirk: its path code turns the *string* 'False' into bool('False') == True,
    // so both booleans are written as 1. A name therefore cannot tell single-query apart.
    format: () => '1',
    parse(text, into) {
      if (text !== '0' && text !== '1') return 'is not 0 or 1';
      into.multiQuery = text === '1';
      return undefined;
    },
  },
  {
    key: 'fn',
    label: 'frac_noise',
    format: (s) => pythonFloatRepr(s.fracNoise).replace('.', '#'),
    parse(text, into) {
      const decimal = text.replace('#', '.');
      if (!/^\d+(\.\d+)?(e[+-]\d+)?$/.test(decimal)) return 'is not a number written with # as decimal point';
      into.fracNoise = Number(decimal);
      return undefined;
    },
  },
  integerPart('nvs', 'noise_vocab_size', 'noiseVocabSize'),
  integerPart('ntc', 'num_tokens_to_copy', 'numTokensToCopy'),
  integerPart('s', 'seed', 'seed'),
];

/**
 * mad-lab's dataset directory name, e.g.
 * `t-NR_vs-32_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#2_nvs-16_ntc-0_s-12345`.
 * frac_noise is a float in MADConfig, so 0 is written as Python prints 0.0: `fn-0#0`.
 */
export function settingName(s: TaskSetting): string {
  return NAME_PARTS.map((part) => `${part.key}-${part.format(s)}`).join('_');
}

/** Inverse of settingName. `mq-1` parses as multi-query (see the quirk above). */
export function parseSettingName(name: string): TaskSetting {
  const texts = name.split('_');
  if (texts.length !== NAME_PARTS.length) {
    throw new Error(
      `Malformed setting name "${name}": expected ${NAME_PARTS.length} parts ` +
        `(${NAME_PARTS.map((p) => p.key).join('_')}), got ${texts.length}`,
    );
  }
  const parsed: Partial<TaskSetting> = {};
  NAME_PARTS.forEach((part, i) => {
    const text = texts[i] as string;
    const prefix = `${part.key}-`;
    if (!text.startsWith(prefix)) {
      throw new Error(
        `Malformed setting name "${name}": part ${i + 1} "${text}" should start with "${prefix}" (${part.label})`,
      );
    }
    const problem = part.parse(text.slice(prefix.length), parsed);
    if (problem !== undefined) {
      throw new Error(`Malformed setting name "${name}": part "${text}" (${part.label}) ${problem}`);
    }
  });
  const setting = { ...MAD_DEFAULTS, ...parsed } as TaskSetting;
  validateSetting(setting);
  return setting;
}

/** Formats a float as Python's repr does (`0.0`, `0.2`, `5e-05`), which mad-lab's names use. */
export function pythonFloatRepr(x: number): string {
  const magnitude = Math.abs(x);
  if (x === 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
    const text = String(x);
    return Number.isInteger(x) ? `${text}.0` : text;
  }
  // Python writes the exponent with a sign and at least two digits.
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
}
