// mad-lab's run directory names (docs/protocol.md §7.2), the key of every stored result: the task setting
// (its dataset name without the seed), the training hyper-parameters mad-lab encodes, the seed,
// then the model id, e.g.
// t-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-200_lr-0#0001_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg-mA-Sg
// Runs named alike are the same run: mad-lab and this lab skip one whose results.csv exists.

import { modelId } from '../model/architecture.ts';
import { parseSettingName, pythonFloatRepr, settingName } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import type { RunPlan, SchedulerKind } from './types.ts';

/** Everything a run directory name says. The setting's seed is mad-lab's one seed (data and training). */
export interface RunKey {
  setting: TaskSetting;
  batchSize: number;
  epochs: number;
  lr: number;
  weightDecay: number;
  /** 'adamw' for every run of this lab; mad-lab's train.py also offers 'sgd'. */
  optimizer: string;
  scheduler: SchedulerKind;
  modelId: string;
}

const SCHEDULERS: readonly SchedulerKind[] = ['cosine', 'plateau', 'none'];

/** The key of a plan. mad-lab names a run by one seed, so the data and training seeds must agree. */
export function runKeyOf(plan: RunPlan): RunKey {
  if (plan.setting.seed !== plan.training.seed) {
    throw new Error(
      `mad-lab names a run by one seed for data and training; this plan has data seed ${plan.setting.seed} ` +
        `and training seed ${plan.training.seed}: give both the same seed`,
    );
  }
  const { batchSize, epochs, lr, weightDecay, scheduler } = plan.training;
  return { setting: plan.setting, batchSize, epochs, lr, weightDecay, optimizer: 'adamw', scheduler, modelId: modelId(plan.architecture) };
}

/** Python's str(float) with '#' for the point, as mad-lab writes lr, weight decay and frac_noise. */
function formatFloat(x: number): string {
  return pythonFloatRepr(x).replace('.', '#');
}

/** mad-lab's run directory name of `key` (its make_log_path without a timestamp). */
export function runDirName(key: RunKey): string {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new Error(`Cannot name this run: ${problem}`);
  const withoutSeed = settingName(key.setting).replace(/_s-\d+$/, '');
  return [
    withoutSeed,
    `bs-${key.batchSize}`,
    `e-${key.epochs}`,
    `lr-${formatFloat(key.lr)}`,
    `wd-${formatFloat(key.weightDecay)}`,
    `opt-${key.optimizer}`,
    `sch-${key.scheduler}`,
    `s-${key.setting.seed}`,
    `model-${key.modelId}`,
  ].join('_');
}

/** The run directory name of a plan. */
export function runDirNameOf(plan: RunPlan): string {
  return runDirName(runKeyOf(plan));
}

function keyProblem(key: RunKey): string | undefined {
  if (!Number.isSafeInteger(key.batchSize) || key.batchSize < 1) return `batch size must be a positive integer, got ${key.batchSize}`;
  if (!Number.isSafeInteger(key.epochs) || key.epochs < 1) return `epochs must be a positive integer, got ${key.epochs}`;
  if (!(Number.isFinite(key.lr) && key.lr > 0)) return `lr must be a positive number, got ${key.lr}`;
  if (!(Number.isFinite(key.weightDecay) && key.weightDecay >= 0)) return `weight decay must be a number ≥ 0, got ${key.weightDecay}`;
  if (!/^[a-z]+$/.test(key.optimizer)) return `optimizer must be a lower-case word, got '${key.optimizer}'`;
  if (!SCHEDULERS.includes(key.scheduler)) return `scheduler must be one of ${SCHEDULERS.join(', ')}, got '${key.scheduler}'`;
  if (key.modelId === '' || /[_/\\]/.test(key.modelId)) return `model id must be non-empty without '_', '/' or '\\', got '${key.modelId}'`;
  return undefined;
}

/** The parts after the setting's 11, in mad-lab's order. */
const RUN_PART_KEYS = ['bs', 'e', 'lr', 'wd', 'opt', 'sch', 's', 'model'] as const;
const SETTING_PART_COUNT = 11;

/** Inverse of runDirName; throws one sentence naming the malformed part. */
export function parseRunDirName(name: string): RunKey {
  const parts = name.split('_');
  const expected = SETTING_PART_COUNT + RUN_PART_KEYS.length;
  if (parts.length !== expected) {
    throw new Error(`Malformed run directory name "${name}": expected ${expected} '_'-separated parts (the setting, then ${RUN_PART_KEYS.join('_')}), got ${parts.length}`);
  }
  const values = {} as Record<(typeof RUN_PART_KEYS)[number], string>;
  RUN_PART_KEYS.forEach((key, i) => {
    const part = parts[SETTING_PART_COUNT + i]!;
    if (!part.startsWith(`${key}-`)) throw new Error(`Malformed run directory name "${name}": part "${part}" should start with "${key}-"`);
    values[key] = part.slice(key.length + 1);
  });
  const bad = (what: string): Error => new Error(`Malformed run directory name "${name}": ${what}`);
  const integer = (key: 'bs' | 'e' | 's'): number => {
    if (!/^\d+$/.test(values[key])) throw bad(`${key}-${values[key]} is not a non-negative integer`);
    return Number(values[key]);
  };
  const float = (key: 'lr' | 'wd'): number => {
    const decimal = values[key].replace('#', '.');
    if (!/^\d+(\.\d+)?(e[+-]\d+)?$/.test(decimal)) throw bad(`${key}-${values[key]} is not a number written with # as decimal point`);
    return Number(decimal);
  };
  const setting = parseSettingName([...parts.slice(0, SETTING_PART_COUNT), `s-${integer('s')}`].join('_'));
  const scheduler = values.sch as SchedulerKind;
  const key: RunKey = {
    setting,
    batchSize: integer('bs'),
    epochs: integer('e'),
    lr: float('lr'),
    weightDecay: float('wd'),
    optimizer: values.opt,
    scheduler,
    modelId: values.model,
  };
  const problem = keyProblem(key);
  if (problem !== undefined) throw bad(problem);
  return key;
}
