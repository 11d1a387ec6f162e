// Parses one configs/demos/<id>.yml: a classroom demo, i.e. a few architectures trained side by
// side on one task setting with one set of hyper-parameters, plus the words shown beside it.
// `setting` and `training` use this lab's field names (TaskSetting, TrainingHyperparameters) and
// fall back to MAD's defaults; each architecture is an ArchitectureSpec whose layer configs use
// mad-lab's keys. Everything is validated here, so a malformed file fails at load with its name.

import { parse } from 'yaml';
import { ARCHITECTURE_VERSION, validateArchitecture, type ArchitectureSpec } from '../../model/architecture.ts';
import { validateTrainingSubset } from '../../share/shareState.ts';
import { MAD_DEFAULTS, validateSetting } from '../../tasks/settings.ts';
import { TASK_NAMES, type TaskName, type TaskSetting } from '../../tasks/types.ts';
import { DEFAULT_TRAINING, type TrainingHyperparameters } from '../../train/types.ts';

export interface DemoModel {
  /** One word or two, used in the outcome line ("attention 0.97 vs MLP 0.13"). */
  label: string;
  architecture: ArchitectureSpec;
}

export interface Demo {
  id: string;
  title: string;
  /** What the task is, what to watch and why the result comes out as it does (a few sentences). */
  explanation: string;
  /** The outcome the demo is built to show. */
  expectation: string;
  setting: TaskSetting;
  training: TrainingHyperparameters;
  models: DemoModel[];
}

const TOP_KEYS = ['id', 'title', 'explanation', 'expectation', 'setting', 'training', 'models'] as const;
const SETTING_KEYS = Object.keys({ task: 0, ...MAD_DEFAULTS }) as (keyof TaskSetting)[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(file: string, doc: Record<string, unknown>, key: string): string {
  const value = doc[key];
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${file}: "${key}" must be a non-empty text`);
  return value.trim();
}

function parseSetting(file: string, raw: unknown): TaskSetting {
  if (!isRecord(raw)) throw new Error(`${file}: "setting" must be a mapping with at least "task"`);
  const unknown = Object.keys(raw).filter((key) => !(SETTING_KEYS as string[]).includes(key));
  if (unknown.length > 0) throw new Error(`${file}: unknown setting key(s) ${unknown.join(', ')}; known: ${SETTING_KEYS.join(', ')}`);
  if (!TASK_NAMES.includes(raw.task as TaskName)) {
    throw new Error(`${file}: setting.task must be one of ${TASK_NAMES.join(', ')}, got ${JSON.stringify(raw.task)}`);
  }
  // validateSetting checks fracNoise by range only, which a quoted number would pass.
  if (raw.fracNoise !== undefined && typeof raw.fracNoise !== 'number') throw new Error(`${file}: setting.fracNoise must be a number`);
  const setting = { ...MAD_DEFAULTS, ...raw } as TaskSetting;
  try {
    validateSetting(setting);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return setting;
}

function parseTraining(file: string, raw: unknown): TrainingHyperparameters {
  const problems = validateTrainingSubset(raw ?? {});
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return { ...DEFAULT_TRAINING, ...(raw as Partial<TrainingHyperparameters> | undefined) };
}

function parseModel(file: string, raw: unknown, index: number): DemoModel {
  const where = `${file}: models[${index}]`;
  if (!isRecord(raw)) throw new Error(`${where} must be a mapping with "label" and "architecture"`);
  const extra = Object.keys(raw).filter((key) => key !== 'label' && key !== 'architecture');
  if (extra.length > 0) throw new Error(`${where}: unknown key(s) ${extra.join(', ')} (known: label, architecture)`);
  if (typeof raw.label !== 'string' || raw.label.trim() === '') throw new Error(`${where}: "label" must be a non-empty text`);
  if (!isRecord(raw.architecture)) throw new Error(`${where}: "architecture" must be a mapping with dim and layers`);
  const architecture = { version: ARCHITECTURE_VERSION, ...raw.architecture };
  const problems = validateArchitecture(architecture);
  if (problems.length > 0) throw new Error(`${where} (${raw.label}): ${problems.join('; ')}`);
  return { label: raw.label.trim(), architecture: architecture as ArchitectureSpec };
}

/** The demo in `ymlText`; throws an Error naming the file and the first problem found. */
export function parseDemo(fileId: string, ymlText: string): Demo {
  const file = `configs/demos/${fileId}.yml`;
  let doc: unknown;
  try {
    doc = parse(ymlText);
  } catch (error) {
    throw new Error(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(doc)) throw new Error(`${file}: expected a mapping with ${TOP_KEYS.join(', ')}`);
  const unknown = Object.keys(doc).filter((key) => !(TOP_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new Error(`${file}: unknown top-level key(s) ${unknown.join(', ')}`);
  const id = text(file, doc, 'id');
  if (id !== fileId) throw new Error(`${file}: "id" must equal the file name, got "${id}"`);
  if (!Array.isArray(doc.models) || doc.models.length < 2) throw new Error(`${file}: "models" must list at least two architectures to compare`);
  const models = doc.models.map((model, i) => parseModel(file, model, i));
  const labels = models.map((m) => m.label);
  if (new Set(labels).size !== labels.length) throw new Error(`${file}: model labels must differ, got ${labels.join(', ')}`);
  const setting = parseSetting(file, doc.setting);
  const training = parseTraining(file, doc.training);
  // A run is named by one seed for data and training (src/train/runKey.ts).
  if (setting.seed !== training.seed) {
    throw new Error(`${file}: setting.seed (${setting.seed}) and training.seed (${training.seed}) must be equal`);
  }
  return {
    id,
    title: text(file, doc, 'title'),
    explanation: text(file, doc, 'explanation'),
    expectation: text(file, doc, 'expectation'),
    setting,
    training,
    models,
  };
}
