// What `mad train` and `mad benchmark` share: the GPU (Dawn in Node, SwiftShader without a GPU),
// the memory budget and the run's memory plan (checked before any data or GPU), the training
// function handed to the protocol runner, where a setting's data come from (read data pass the
// same checks as `mad data --check`), the backbone's --norm, progress of a run, and the mad-lab
// flags this lab accepts without acting on (the model itself: ../modelSource.ts).

import { existsSync } from 'node:fs';
import type { PlanningTarget } from '../../config/kernelTarget.ts';
import type { EngineGpu } from '../../engine/compile.ts';
import { acquireEngineGpu, type AcquiredEngineGpu } from '../../engine/engineGpu.ts';
import type { AdapterSummary } from '../../gpu/device.ts';
import type { NormKind } from '../../model/languageModel.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { readSettingDir, settingDirPath } from '../../tasks/madDataDir.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import type { DataSource, TrainFunction } from '../../train/protocol.ts';
import { DEFAULT_RUN_MEMORY_BUDGET_BYTES, planRunMemory, type DeviceSizeLimits, type RunMemoryPlan } from '../../train/runMemoryPlan.ts';
import { trainRun, type TrainRunOptions } from '../../train/trainer.ts';
import type { RunEvent, RunPlan } from '../../train/types.ts';
import { UsageError, type FlagSpecs } from '../args.ts';

/** `--memory-budget` of train and benchmark (data has its own, for the data it writes). */
export const MEMORY_BUDGET_FLAG = {
  'memory-budget': {
    kind: 'string',
    value: 'SIZE',
    help: 'memory one run may plan: its GPU buffers together, and its data on their own (bytes, or e.g. 512MiB, 2GiB)',
  },
} as const satisfies FlagSpecs;

export const DEFAULT_MEMORY_BUDGET_TEXT = '1GiB';

const BYTE_UNITS: Record<string, number> = { '': 1, B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** `--memory-budget`: plain bytes or a decimal number with a unit (KiB, MiB, GiB, TiB, kB, MB, GB, TB). */
export function parseMemoryBudget(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RUN_MEMORY_BUDGET_BYTES;
  const match = /^(\d+(?:\.\d+)?)\s?([A-Za-z]*)$/.exec(text);
  const unit = match === null ? undefined : BYTE_UNITS[match[2]!];
  const bytes = match === null || unit === undefined ? NaN : Math.round(Number(match[1]) * unit);
  if (!(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new UsageError(`--memory-budget needs a size such as 2GiB, 512MiB or 1073741824 (bytes), got '${text}'`);
  }
  return bytes;
}

/**
 * Limits for planning before a GPU is acquired: no buffer can exceed the whole budget, so only the
 * budget binds; WebGPU guarantees 65,535 workgroups per dimension. The device's own limits are met
 * again once it is acquired (see trainOn).
 */
export function limitsBeforeDevice(budgetBytes: number): DeviceSizeLimits {
  return { maxBufferSize: budgetBytes, maxStorageBufferBindingSize: budgetBytes, maxComputeWorkgroupsPerDimension: 65_535 };
}

/**
 * The run's memory plan with `target`'s kernels (PLANNING_TARGET before the device is acquired); a
 * run that does not fit is a usage error naming each figure, limit and remedy.
 */
export function assertRunFits(plan: RunPlan, limits: DeviceSizeLimits, budgetBytes: number, target: PlanningTarget): RunMemoryPlan {
  const outcome = planRunMemory(plan, limits, { target, budgetBytes, budgetFlag: '--memory-budget' });
  if (!outcome.ok) throw new UsageError(outcome.problems.map((p) => p.message).join(' '));
  return outcome.memory;
}

export type TrainingGpu = AcquiredEngineGpu;

/** One device for the whole command, with the kernel target of its adapter. */
export function acquireTrainingGpu(): Promise<TrainingGpu> {
  return acquireEngineGpu({ label: 'mad training' });
}

export function describeAdapter(info: AdapterSummary): string {
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

/**
 * The protocol runner's training function on `gpu`: each run is planned against the device's own
 * limits first, and trains with the micro-batches that plan chose, so the trainer traces only the
 * split already known to fit.
 */
export function trainOn(gpu: EngineGpu, budgetBytes: number, weights: RunWeightsOptions = {}): TrainFunction {
  return (plan, data, onEvent) => {
    const memory = assertRunFits(plan, gpu.device.limits, budgetBytes, gpu.target);
    return trainRun(gpu, plan, data, { onEvent, memoryBudgetBytes: budgetBytes, microBatches: memory.microBatches, ...weights });
  };
}

/** What `mad train --init-weights` / `--save-weights` hand the trainer: the starting pool, and where the best one goes. */
export type RunWeightsOptions = Pick<TrainRunOptions, 'initialParameters' | 'onFinalParameters'>;

/**
 * Reads a setting from `<dataPath>/<setting-name>/` when it is there (mad-lab's layout, e.g. the
 * official benchmark data), and generates it otherwise; `say` is told which, once per setting.
 * Read data pass every check of `mad data --check` first, or nothing is trained on them (a
 * SettingDataError names each problem).
 */
export function settingData(dataPath: string | undefined, say: (line: string) => void): DataSource {
  return async (setting: TaskSetting) => {
    if (dataPath !== undefined) {
      const dir = settingDirPath(dataPath, setting);
      if (existsSync(dir)) {
        say(`data: read ${dir}`);
        return readSettingDir(dir);
      }
      say(`data: generated (no ${dir})`);
    }
    return buildDataset(setting);
  };
}

export function parseNorm(text: string | undefined, fallback: NormKind): NormKind {
  const norm = text ?? fallback;
  if (norm !== 'rms' && norm !== 'layer') throw new UsageError(`--norm must be rms or layer, got '${norm}'`);
  return norm;
}

/**
 * mad-lab flags that only choose hardware, parallelism or logging sinks: accepted so a mad-lab
 * command line runs unchanged, and named on stderr as ignored, with why.
 */
export function noteIgnoredFlags(given: Record<string, unknown>, ignored: FlagSpecs): void {
  const names = Object.keys(ignored).filter((name) => name in given);
  if (names.length === 0) return;
  console.error(`note: ignored ${names.map((n) => `--${n} (${ignored[n]!.help})`).join(', ')}`);
}

/** Fraction of a run done, from its events: epochs finished plus the steps of the current one. */
export class RunProgress {
  private totalSteps = 1;
  private stepsDone = 0;
  epoch = 0;
  epochs = 1;

  update(event: RunEvent): void {
    if (event.kind === 'started') {
      this.totalSteps = Math.max(1, event.totalEpochs * event.stepsPerEpoch);
      this.epochs = event.totalEpochs;
    } else if (event.kind === 'step') {
      this.stepsDone = event.step;
      this.epoch = event.epoch;
    } else if (event.kind === 'epoch') {
      this.epoch = event.record.epoch + 1;
    }
  }

  get fraction(): number {
    return Math.min(1, this.stepsDone / this.totalSteps);
  }
}
