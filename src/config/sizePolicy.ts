// One size policy for everything a user can type or paste: the CLI's flags, the Builder's fields,
// the Runs launcher, share links and JSON imports all check sizes here, before anything is
// allocated. Each cap is a stated multiple (SIZE_MULTIPLE) of the largest value MAD's own grid
// uses, so every benchmark setting and model fits with room to explore, while a typo such as a
// vocabulary of 2,147,483,648 is refused with the limit, the value and what to change instead of
// freezing a tab or a server. Device limits and the whole-run memory plan are checked later, by
// train/runMemoryPlan.ts, which needs the model traced; these caps keep that tracing cheap.
//
// Problems are structured ({path, key, limit, value, reason, message}) so the UI marks the field
// by key and never parses the message.

import type { TaskSetting } from '../tasks/types.ts';

/** Every cap is this many times the largest value in MAD's benchmark grid (named beside it). */
export const SIZE_MULTIPLE = 16;

/** The largest value of each size in MAD's benchmark (configs/tasks, the paper's models and training). */
export const MAD_LARGEST = {
  /** memorization's vocab_size change up to 8,192. */
  vocabSize: 8192,
  /** the recall tasks' and selective copying's seq_len changes up to 1,024. */
  seqLen: 1024,
  /** every task's baseline: 12,800 training examples. */
  numTrainExamples: 12_800,
  /** MADConfig's 1,280 test examples. */
  numTestExamples: 1_280,
  /** fuzzy recall's motifs of 3 tokens. */
  motifSize: 3,
  /** the paper's width d = 128. */
  dim: 128,
  /** the benchmark's models: two blocks of two layers. */
  layers: 4,
  /** train.py's batch of 128 sequences. */
  batchSize: 128,
  /** train.py's 200 epochs. */
  epochs: 200,
} as const;

/** Characters of a model's name: a label, not a document (a 50 MB name once froze the tab). */
export const MAX_NAME_LENGTH = 200;

/** What a size may be at most, with why; `label` is how messages name it. */
export interface SizeLimit {
  limit: number;
  label: string;
  reason: string;
  /** What to change, as the end of a sentence ("use a smaller vocabulary"). */
  remedy: string;
}

const capOf = (largest: number, what: string): { limit: number; reason: string } => ({
  limit: SIZE_MULTIPLE * largest,
  reason: `${SIZE_MULTIPLE}× MAD's largest ${what} (${largest.toLocaleString('en-US')})`,
});

export const SIZE_LIMITS = {
  vocabSize: { ...capOf(MAD_LARGEST.vocabSize, 'vocabulary'), label: 'Vocabulary size', remedy: 'use a smaller vocabulary' },
  noiseVocabSize: { ...capOf(MAD_LARGEST.vocabSize, 'vocabulary'), label: 'Noise vocabulary size', remedy: 'use a smaller noise vocabulary' },
  seqLen: { ...capOf(MAD_LARGEST.seqLen, 'sequence length'), label: 'Sequence length', remedy: 'use a shorter sequence' },
  numTokensToCopy: { ...capOf(MAD_LARGEST.seqLen, 'sequence length'), label: 'Tokens to copy', remedy: 'copy fewer tokens' },
  numTrainExamples: { ...capOf(MAD_LARGEST.numTrainExamples, 'training set'), label: 'Training examples', remedy: 'use fewer training examples' },
  numTestExamples: { ...capOf(MAD_LARGEST.numTestExamples, 'test set'), label: 'Test examples', remedy: 'use fewer test examples' },
  kMotifSize: { ...capOf(MAD_LARGEST.motifSize, 'motif'), label: 'Key motif size', remedy: 'use a shorter motif' },
  vMotifSize: { ...capOf(MAD_LARGEST.motifSize, 'motif'), label: 'Value motif size', remedy: 'use a shorter motif' },
  dim: { ...capOf(MAD_LARGEST.dim, 'width'), label: 'Model width', remedy: 'use a narrower model' },
  layers: { ...capOf(MAD_LARGEST.layers, 'model'), label: 'Number of layers', remedy: 'use fewer layers' },
  batchSize: { ...capOf(MAD_LARGEST.batchSize, 'batch'), label: 'Batch size', remedy: 'use a smaller batch' },
  epochs: { ...capOf(MAD_LARGEST.epochs, 'epoch count'), label: 'Epochs', remedy: 'train for fewer epochs' },
  nameLength: { limit: MAX_NAME_LENGTH, reason: 'a name is a label', label: 'Model name length', remedy: 'shorten the name' },
} as const satisfies Record<string, SizeLimit>;

export type SizeKey = keyof typeof SIZE_LIMITS;

/** One size over its limit (or not a size at all), where it sits and what to do. */
export interface SizeProblem {
  /** Where the value sits: 'setting', 'architecture', 'training', 'data', 'memory', or a finer path. */
  path: string;
  /** The field: a SizeKey, or the memory plan's own keys ('memory', 'buffer', 'dispatch'). */
  key: string;
  limit: number;
  value: unknown;
  reason: string;
  /** One sentence: the limit, the value and what to change. */
  message: string;
}

const count = (n: number): string => n.toLocaleString('en-US');
const show = (v: unknown): string => (typeof v === 'number' ? count(v) : typeof v === 'string' && v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v) ?? String(v));

/**
 * The problem of `value` for the size `key`, or null when it is a whole number in 0…limit.
 * Non-integers are refused here too, so a check of a pasted value never lets one through.
 */
export function sizeProblem(key: SizeKey, value: unknown, path: string): SizeProblem | null {
  const { limit, label, reason, remedy } = SIZE_LIMITS[key];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= limit) return null;
  const tooLarge = typeof value === 'number' && Number.isFinite(value) && value > limit;
  const message = tooLarge
    ? `${label} ${show(value)} is over the limit of ${count(limit)} (${reason}): ${remedy}.`
    : `${label} must be a whole number up to ${count(limit)}, got ${show(value)}.`;
  return { path, key, limit, value, reason, message };
}

/** Checks each listed key of `record` that is present; absent keys are someone else's check. */
function checkKeys(record: Record<string, unknown>, keys: readonly SizeKey[], path: string): SizeProblem[] {
  const problems: SizeProblem[] = [];
  for (const key of keys) {
    if (!(key in record) || record[key] === undefined) continue;
    const problem = sizeProblem(key, record[key], path);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

const SETTING_KEYS = ['vocabSize', 'noiseVocabSize', 'seqLen', 'numTokensToCopy', 'numTrainExamples', 'numTestExamples', 'kMotifSize', 'vMotifSize'] as const;

/** The size fields of a (possibly partial, possibly pasted) task setting. */
export function settingSizeProblems(setting: Partial<TaskSetting> | Record<string, unknown>, path = 'setting'): SizeProblem[] {
  return checkKeys(setting as Record<string, unknown>, SETTING_KEYS, path);
}

/** Epochs and batch size of a run's training choices. */
export function trainingSizeProblems(training: { epochs?: unknown; batchSize?: unknown }, path = 'training'): SizeProblem[] {
  return checkKeys(training, ['epochs', 'batchSize'], path);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Width, layer count and name length of an architecture as it arrives (a file, a link, a draft),
 * before anything walks its layers: a 10,000-layer import is refused here in constant time.
 */
export function architectureSizeProblems(spec: unknown, path = 'architecture'): SizeProblem[] {
  if (!isRecord(spec)) return [];
  const problems: SizeProblem[] = [];
  if (typeof spec.dim === 'number') {
    const problem = sizeProblem('dim', spec.dim, path);
    if (problem !== null && Number.isInteger(spec.dim) && spec.dim > 0) problems.push(problem);
  }
  if (Array.isArray(spec.layers)) {
    const problem = sizeProblem('layers', spec.layers.length, path);
    if (problem !== null) problems.push(problem);
  }
  if (typeof spec.name === 'string') {
    const problem = sizeProblem('nameLength', spec.name.length, path);
    if (problem !== null) problems.push({ ...problem, key: 'name' });
  }
  return problems;
}

/** Throws one Error naming every problem (for callers whose errors become one line, as the CLI's). */
export function assertSizes(problems: readonly SizeProblem[]): void {
  if (problems.length > 0) throw new SizeLimitError(problems);
}

/** Sizes over the policy's limits; `problems` keeps the structure for whoever catches it. */
export class SizeLimitError extends Error {
  constructor(readonly problems: readonly SizeProblem[]) {
    super(problems.map((p) => p.message).join(' '));
    this.name = 'SizeLimitError';
  }
}
