// What the Runs launcher decides about the runs it starts: what to train on (one setting with its
// sizes, a task's grid, a protocol profile, optionally at demo scale, or one setting at several
// model widths: a width sweep, its widths typed as a list) and the training
// hyper-parameters with the seed. Plain data: the launcher store holds it, a share link carries it.
// launcherChoiceProblems checks every field the launcher shows against the size policy
// (config/sizePolicy.ts) before anything is generated, each problem keyed by its field.
import type { ProtocolName } from '../config/protocols.ts';
import { sizeProblem, type SizeKey } from '../config/sizePolicy.ts';
import type { DemoScale } from '../share/shareState.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../train/types.ts';
import type { SweepKind } from '../storage/runRecords.ts';
import { settingsForTask } from '../config/taskGridFiles.ts';

/** The sizes of one setting a user may change. */
export interface SettingSizes {
  vocabSize: number;
  seqLen: number;
  numTrainExamples: number;
  numTestExamples: number;
}

export interface LauncherChoice {
  mode: SweepKind;
  task: TaskName;
  /** Index into the task's grid (mode 'setting'). */
  settingIndex: number;
  /** Modes 'setting' and 'width': the sizes to train at (initially the grid setting's). */
  sizes: SettingSizes;
  /** Mode 'width': the model widths to train, as typed ("16, 32"); parseWidths reads them. */
  widths: string;
  profile: ProtocolName;
  /** Modes 'grid' and 'protocol': shrink every run, or null for the benchmark's sizes. */
  demo: DemoScale | null;
  /** The seed among them: mad-lab's one seed, for the data and the training alike. */
  training: TrainingHyperparameters;
}

/** The sizes to run a grid setting at by default. */
export function sizesOf(setting: TaskSetting): SettingSizes {
  const { vocabSize, seqLen, numTrainExamples, numTestExamples } = setting;
  return { vocabSize, seqLen, numTrainExamples, numTestExamples };
}

const INITIAL_TASK: TaskName = 'in-context-recall';

/** What the launcher shows first, and what a link leaves unsaid (a grid link's sizes, say). */
export const INITIAL_LAUNCHER_CHOICE: LauncherChoice = {
  mode: 'setting',
  task: INITIAL_TASK,
  settingIndex: 0,
  sizes: sizesOf(settingsForTask(INITIAL_TASK)[0]!),
  widths: '16, 32',
  profile: 'quick',
  demo: null,
  training: DEFAULT_TRAINING,
};

/** A width sweep trains at most this many widths at once. */
export const MAX_SWEEP_WIDTHS = 8;

/**
 * The widths of a width sweep's list ("16, 32" or "16 32"): whole numbers within the size policy's
 * width cap, no repeats, 1 to MAX_SWEEP_WIDTHS of them, in the order typed; or why not, in one sentence.
 */
export function parseWidths(text: string): { ok: true; widths: number[] } | { ok: false; message: string } {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, message: 'Widths: type one or more model widths, e.g. "16, 32".' };
  if (parts.length > MAX_SWEEP_WIDTHS) return { ok: false, message: `Widths: at most ${MAX_SWEEP_WIDTHS} widths per sweep, got ${parts.length}; launch another sweep for the rest.` };
  const widths: number[] = [];
  for (const part of parts) {
    const width = /^\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!Number.isSafeInteger(width) || width < 1) return { ok: false, message: `Widths: each width must be a whole number ≥ 1, got "${part.slice(0, 20)}".` };
    const problem = sizeProblem('dim', width, 'widths');
    if (problem !== null) return { ok: false, message: `Widths: ${problem.message}` };
    if (widths.includes(width)) return { ok: false, message: `Widths: ${width} is listed twice; list each width once.` };
    widths.push(width);
  }
  return { ok: true, widths };
}

/** A launcher field, as `group.key`: what a problem marks (the form never reads the message). */
export type LauncherField =
  | `sizes.${keyof SettingSizes}`
  | `demo.${keyof DemoScale}`
  | 'training.epochs'
  | 'training.batchSize'
  | 'training.lr'
  | 'training.weightDecay'
  | 'training.seed'
  | 'widths';

export interface LauncherProblem {
  field: LauncherField;
  /** One sentence: the limit or rule, the value and what to change. */
  message: string;
}

/** Which fields the launcher shows for this choice: only those are checked, and only those shape the runs. */
export function shownFields(choice: Pick<LauncherChoice, 'mode' | 'demo'>): LauncherField[] {
  const { mode, demo } = choice;
  const fields: LauncherField[] = [];
  // A width sweep trains one setting, at its sizes, like mode 'setting'.
  const oneSetting = mode === 'setting' || mode === 'width';
  if (mode === 'width') fields.push('widths');
  if (oneSetting) fields.push('sizes.vocabSize', 'sizes.seqLen', 'sizes.numTrainExamples', 'sizes.numTestExamples');
  if (!oneSetting && demo !== null) fields.push('demo.numTrainExamples', 'demo.numTestExamples', 'demo.epochs');
  if (oneSetting || (mode === 'grid' && demo === null)) fields.push('training.epochs');
  if (mode !== 'protocol') fields.push('training.lr', 'training.weightDecay');
  fields.push('training.batchSize', 'training.seed');
  return fields;
}

const FIELD_LABELS: Record<LauncherField, string> = {
  'sizes.vocabSize': 'Vocabulary',
  'sizes.seqLen': 'Sequence length',
  'sizes.numTrainExamples': 'Training examples',
  'sizes.numTestExamples': 'Test examples',
  'demo.numTrainExamples': 'Demo training examples',
  'demo.numTestExamples': 'Demo test examples',
  'demo.epochs': 'Demo epochs',
  'training.epochs': 'Epochs',
  'training.batchSize': 'Batch size',
  'training.lr': 'Learning rate',
  'training.weightDecay': 'Weight decay',
  'training.seed': 'Seed',
  widths: 'Widths',
};

/** The fields that count something: whole numbers from 1 up to the size policy's cap. */
type CountField = Exclude<LauncherField, 'training.lr' | 'training.weightDecay' | 'training.seed' | 'widths'>;

const FIELD_SIZE_KEY: Record<CountField, SizeKey> = {
  'sizes.vocabSize': 'vocabSize',
  'sizes.seqLen': 'seqLen',
  'sizes.numTrainExamples': 'numTrainExamples',
  'sizes.numTestExamples': 'numTestExamples',
  'demo.numTrainExamples': 'numTrainExamples',
  'demo.numTestExamples': 'numTestExamples',
  'demo.epochs': 'epochs',
  'training.epochs': 'epochs',
  'training.batchSize': 'batchSize',
};

function fieldValue(choice: LauncherChoice, field: Exclude<LauncherField, 'widths'>): number {
  const [group, key] = field.split('.') as [string, string];
  const record = group === 'sizes' ? choice.sizes : group === 'demo' ? choice.demo : choice.training;
  return (record as unknown as Record<string, number>)[key]!;
}

function fieldProblem(field: Exclude<LauncherField, 'widths'>, value: number): string | null {
  const label = FIELD_LABELS[field];
  switch (field) {
    case 'training.lr':
      return value > 0 && Number.isFinite(value) ? null : `${label} must be a positive number, got ${value}.`;
    case 'training.weightDecay':
      return value >= 0 && Number.isFinite(value) ? null : `${label} must be a number ≥ 0, got ${value}.`;
    case 'training.seed':
      return Number.isSafeInteger(value) && value >= 0 ? null : `${label} must be a whole number ≥ 0, got ${value}.`;
    default:
      if (Number.isInteger(value) && value < 1) return `${label} must be a whole number ≥ 1, got ${value}.`;
      return sizeProblem(FIELD_SIZE_KEY[field], value, field)?.message ?? null;
  }
}

/**
 * Every shown field that is not a usable number or is over the size policy's cap, in the form's
 * order. Cheap (no data is generated), so the launcher checks on every edit and a value over a
 * limit is marked the moment it arrives, typed or by link.
 */
export function launcherChoiceProblems(choice: LauncherChoice): LauncherProblem[] {
  const problems: LauncherProblem[] = [];
  for (const field of shownFields(choice)) {
    if (field === 'widths') {
      const widths = parseWidths(choice.widths);
      if (!widths.ok) problems.push({ field, message: widths.message });
      continue;
    }
    const message = fieldProblem(field, fieldValue(choice, field));
    if (message !== null) problems.push({ field, message });
  }
  return problems;
}
