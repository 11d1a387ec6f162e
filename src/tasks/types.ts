// Shared vocabulary of the task layer: names, settings and generated instances.
// Everything here is plain data so it crosses worker boundaries and serialises to URLs.

/** mad-lab's task names (the `--task` values of train.py). */
export const TASK_NAMES = [
  'in-context-recall',
  'noisy-in-context-recall',
  'fuzzy-in-context-recall',
  'memorization',
  'compression',
  'selective-copying',
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** mad-lab's shorthand used in setting directory names (`t-CR_…`). */
export const TASK_SHORTHAND: Record<TaskName, string> = {
  'in-context-recall': 'CR',
  'noisy-in-context-recall': 'NR',
  'fuzzy-in-context-recall': 'FR',
  memorization: 'M',
  compression: 'C',
  'selective-copying': 'SC',
};

/** The ignore index: a target equal to this is excluded from loss and accuracy. */
export const IGNORE_INDEX = -100;

/**
 * One task setting, field for field the MADConfig of mad-lab (docs/protocol.md §2–§3).
 * Named exactly like mad-lab's setting directories (see settingName).
 */
export interface TaskSetting {
  task: TaskName;
  vocabSize: number;
  seqLen: number;
  numTrainExamples: number;
  numTestExamples: number;
  fracNoise: number;
  noiseVocabSize: number;
  numTokensToCopy: number;
  kMotifSize: number;
  vMotifSize: number;
  multiQuery: boolean;
  seed: number;
}

/** What each token of an instance is, for display and for tests. */
export type TokenRole =
  | 'key'
  | 'value'
  | 'noise'
  | 'pad'
  | 'insert' // memorization's insert token
  | 'copy' // selective copying's copy token; single-query recall's copy prefix
  | 'blank' // selective copying's filler token
  | 'data' // selective copying / compression data tokens
  | 'compress'; // compression's aggregation token

/** One generated example: model inputs, targets (IGNORE_INDEX where unscored) and input roles. */
export interface TaskInstance {
  inputs: Int32Array;
  targets: Int32Array;
  /** roles[i] describes inputs[i]. */
  roles: TokenRole[];
}

/** Draws the next instance of one task; training instances get training targets. */
export type InstanceGenerator = (isTraining: boolean) => TaskInstance;
