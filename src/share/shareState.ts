// What a share link, a JSON export and a library entry carry: one architecture and, optionally,
// what to run it on (one task setting, one task's benchmark grid, or a protocol profile) with
// the training hyper-parameters the user changed. Plain data, validated field by field so an
// import says exactly what is wrong. The architecture's sizes are the size policy's
// (config/sizePolicy.ts), checked first; a run's sizes are the launcher's to mark, field by field,
// so a link with a vocabulary over the cap still opens its model and shows the value where it
// can be changed. Before any of that, the text itself has a length limit (below), so a 70 MB link
// or file is refused before it is decoded or parsed.

import { PROTOCOL_NAMES, type ProtocolName } from '../config/protocols.ts';
import { SIZE_LIMITS, SizeLimitError } from '../config/sizePolicy.ts';
import { validateArchitecture, type ArchitectureSpec } from '../model/architecture.ts';
import { validateSetting } from '../tasks/settings.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../tasks/types.ts';
import type { SchedulerKind, TrainingHyperparameters } from '../train/types.ts';

/** What to train on: one setting, every setting of one task's grid, or a named protocol profile. */
export type RunSelection =
  | { kind: 'setting'; setting: TaskSetting }
  | { kind: 'task-grid'; task: TaskName }
  | { kind: 'protocol'; profile: ProtocolName };

/** A demo scale: the example counts a task's baseline shrinks to (its other settings in proportion), and the epochs. */
export interface DemoScale {
  numTrainExamples: number;
  numTestExamples: number;
  epochs: number;
}

export interface ShareRun {
  selection: RunSelection;
  /** Only the hyper-parameters set explicitly (the seed among them); the rest are DEFAULT_TRAINING. */
  training?: Partial<TrainingHyperparameters>;
  /** A task grid or protocol shrunk to a demo (one setting carries its own sizes instead); absent: the benchmark's sizes. */
  demo?: DemoScale;
}

export interface ShareState {
  architecture: ArchitectureSpec;
  run?: ShareRun;
}

/**
 * Compact JSON of one layer's overrides a share is allowed: the largest full config of any layer
 * (hyena-experts, every key set) is 316 characters, so three times that is generous.
 */
const LAYER_OVERRIDES_ALLOWANCE = 1024;
/** The name (200 characters, up to 6 each once escaped), the run's setting and hyper-parameters, the keys and punctuation. */
const NAME_AND_RUN_ALLOWANCE = 16_384;
/** Characters of a shared state's compact JSON at most: the layer cap's worth of generous overrides, and the rest. */
export const MAX_SHARE_JSON_LENGTH = SIZE_LIMITS.layers.limit * LAYER_OVERRIDES_ALLOWANCE + NAME_AND_RUN_ALLOWANCE;
/**
 * Characters of a link (the page address included) at most: base64url writes 4 characters per 3
 * bytes of JSON, and 4,096 more cover the page address and the route.
 */
export const MAX_SHARE_LINK_LENGTH = Math.ceil((MAX_SHARE_JSON_LENGTH * 4) / 3) + 4096;
/**
 * Characters (and bytes) of an architecture file at most: exported JSON is pretty-printed, which
 * measured 2.0× the compact text for 64 fully overridden Hyena layers; three times leaves room.
 */
export const MAX_ARCHITECTURE_FILE_LENGTH = 3 * MAX_SHARE_JSON_LENGTH;

/**
 * Why a text of `length` characters (or bytes) is refused before it is read, naming the limit and
 * ending with `remedy`; null when it is short enough.
 */
export function textLengthProblem(what: string, length: number, limit: number, remedy: string, unit: 'characters' | 'bytes' = 'characters'): string | null {
  if (length <= limit) return null;
  const count = (n: number) => n.toLocaleString('en-US');
  return `${what} is ${count(length)} ${unit} long, over the limit of ${count(limit)} (a model of up to ${SIZE_LIMITS.layers.limit} layers with generous overrides fits well within it): ${remedy}.`;
}

const SCHEDULERS: readonly SchedulerKind[] = ['cosine', 'plateau', 'none'];

type FieldCheck = (value: unknown) => string | undefined;

const positiveNumber: FieldCheck = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'must be a number > 0');
const nonNegativeNumber: FieldCheck = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'must be a number ≥ 0');
const integerAtLeast =
  (min: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? undefined : `must be an integer ≥ ${min}`;

/** How each training hyper-parameter is checked; keyed exhaustively so a new field needs a rule. */
const TRAINING_CHECKS: { [K in keyof TrainingHyperparameters]: FieldCheck } = {
  lr: positiveNumber,
  weightDecay: nonNegativeNumber,
  epochs: integerAtLeast(1),
  batchSize: integerAtLeast(1),
  scheduler: (v) => (SCHEDULERS.includes(v as SchedulerKind) ? undefined : `must be one of ${SCHEDULERS.join(', ')}`),
  minLr: nonNegativeNumber,
  earlyStop: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  stopPatience: integerAtLeast(1),
  plateauPatience: integerAtLeast(0),
  plateauFactor: (v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : 'must be a number in (0, 1]'),
  seed: integerAtLeast(0),
};

const TRAINING_KEYS = Object.keys(TRAINING_CHECKS) as (keyof TrainingHyperparameters)[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Every problem of a partial set of training hyper-parameters, one readable phrase each. */
export function validateTrainingSubset(training: unknown): string[] {
  if (!isRecord(training)) return [`training must be an object of hyper-parameters, got ${show(training)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(training)) {
    const check = (TRAINING_CHECKS as Record<string, FieldCheck | undefined>)[key];
    if (check === undefined) {
      problems.push(`training: unknown hyper-parameter '${key}' (known: ${TRAINING_KEYS.join(', ')})`);
      continue;
    }
    const problem = check(value);
    if (problem !== undefined) problems.push(`training.${key} ${problem}, got ${show(value)}`);
  }
  return problems;
}

const DEMO_KEYS: readonly (keyof DemoScale)[] = ['numTrainExamples', 'numTestExamples', 'epochs'];

function validateDemo(demo: unknown, selection: unknown): string[] {
  if (isRecord(selection) && selection.kind === 'setting') return ['run.demo applies to a task grid or a protocol; one setting carries its own sizes'];
  if (!isRecord(demo)) return [`run.demo must be { numTrainExamples, numTestExamples, epochs }, got ${show(demo)}`];
  const unknown = Object.keys(demo).filter((k) => !(DEMO_KEYS as readonly string[]).includes(k));
  const problems = unknown.map((k) => `run.demo: unknown field '${k}' (known: ${DEMO_KEYS.join(', ')})`);
  for (const key of DEMO_KEYS) {
    const problem = integerAtLeast(1)(demo[key]);
    if (problem !== undefined) problems.push(`run.demo.${key} ${problem}, got ${show(demo[key])}`);
  }
  return problems;
}

const SETTING_KEYS: readonly (keyof TaskSetting)[] = [
  'task',
  'vocabSize',
  'seqLen',
  'numTrainExamples',
  'numTestExamples',
  'fracNoise',
  'noiseVocabSize',
  'numTokensToCopy',
  'kMotifSize',
  'vMotifSize',
  'multiQuery',
  'seed',
];

function validateSelection(selection: unknown): string[] {
  if (!isRecord(selection)) return [`run.selection must be an object, got ${show(selection)}`];
  switch (selection.kind) {
    case 'setting': {
      const setting = selection.setting;
      if (!isRecord(setting)) return [`run.selection.setting must be a task setting object, got ${show(setting)}`];
      const keys = Object.keys(setting);
      const missing = SETTING_KEYS.filter((k) => !keys.includes(k));
      const unknown = keys.filter((k) => !(SETTING_KEYS as readonly string[]).includes(k));
      if (missing.length > 0 || unknown.length > 0) {
        const parts = [...(missing.length ? [`missing ${missing.join(', ')}`] : []), ...(unknown.length ? [`unknown ${unknown.join(', ')}`] : [])];
        return [`run.selection.setting has the wrong fields (${parts.join('; ')})`];
      }
      // validateSetting compares fracNoise by range only, which a numeric string would pass.
      if (typeof setting.fracNoise !== 'number') return [`run.selection.setting.fracNoise must be a number, got ${show(setting.fracNoise)}`];
      try {
        validateSetting(setting as unknown as TaskSetting);
        return [];
      } catch (err) {
        // Sizes over the policy's caps are the launcher's to mark in their fields (see above).
        if (err instanceof SizeLimitError) return [];
        return [`run.selection.setting: ${err instanceof Error ? err.message : String(err)}`];
      }
    }
    case 'task-grid':
      return TASK_NAMES.includes(selection.task as TaskName)
        ? []
        : [`run.selection.task must be one of ${TASK_NAMES.join(', ')}, got ${show(selection.task)}`];
    case 'protocol':
      return PROTOCOL_NAMES.includes(selection.profile as ProtocolName)
        ? []
        : [`run.selection.profile must be one of ${PROTOCOL_NAMES.join(', ')}, got ${show(selection.profile)}`];
    default:
      return [`run.selection.kind must be 'setting', 'task-grid' or 'protocol', got ${show(selection.kind)}`];
  }
}

/** Every problem of a run description (empty when valid). */
export function validateShareRun(run: unknown): string[] {
  if (!isRecord(run)) return [`run must be an object { selection, training?, demo? }, got ${show(run)}`];
  const problems = Object.keys(run)
    .filter((k) => k !== 'selection' && k !== 'training' && k !== 'demo')
    .map((k) => `run: unknown field '${k}' (known: selection, training, demo)`);
  problems.push(...validateSelection(run.selection));
  if (run.training !== undefined) problems.push(...validateTrainingSubset(run.training));
  if (run.demo !== undefined) problems.push(...validateDemo(run.demo, run.selection));
  return problems;
}

/** Every problem of a share state: the architecture's (validateArchitecture) and the run's. */
export function validateShareState(state: unknown): string[] {
  if (!isRecord(state)) return [`expected { architecture, run? }, got ${show(state)}`];
  const problems = Object.keys(state)
    .filter((k) => k !== 'architecture' && k !== 'run')
    .map((k) => `unknown field '${k}' (known: architecture, run)`);
  problems.push(...validateArchitecture(state.architecture).map((p) => `architecture: ${p}`));
  if (state.run !== undefined) problems.push(...validateShareRun(state.run));
  return problems;
}
