// What `mad train` and `mad benchmark` share: the GPU (Dawn in Node, SwiftShader without a GPU),
// the training function handed to the protocol runner, where a setting's data come from, the
// model from --layers, progress of a run, and the mad-lab flags this lab accepts without acting on.

import { existsSync } from 'node:fs';
import type { EngineGpu } from '../../engine/compile.ts';
import { matmulVariantFor, setMatmulVariant } from '../../engine/ops/matmul/matmul.ts';
import { acquireGpu, type AdapterSummary } from '../../gpu/device.ts';
import { PipelineCache } from '../../gpu/pipelines.ts';
import { architectureFromLayers, validateArchitecture, type ArchitectureSpec, type BackboneChoice } from '../../model/architecture.ts';
import type { NormKind } from '../../model/languageModel.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { readSettingDir, settingDirPath } from '../../tasks/madDataDir.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import type { DataSource, TrainFunction } from '../../train/protocol.ts';
import { trainRun } from '../../train/trainer.ts';
import type { RunEvent } from '../../train/types.ts';
import { UsageError, type FlagSpecs } from '../args.ts';

export interface TrainingGpu extends EngineGpu {
  readonly adapterInfo: AdapterSummary;
}

/** One device for the whole command, with the matmul kernel chosen for its adapter. */
export async function acquireTrainingGpu(): Promise<TrainingGpu> {
  const { device, adapterInfo } = await acquireGpu({ label: 'mad training' });
  setMatmulVariant(matmulVariantFor(adapterInfo));
  return { device, adapterInfo, pipelines: new PipelineCache(device) };
}

export function describeAdapter(info: AdapterSummary): string {
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

/** The protocol runner's training function on `gpu`. */
export function trainOn(gpu: EngineGpu): TrainFunction {
  return (plan, data, onEvent) => trainRun(gpu, plan, data, { onEvent });
}

/**
 * Reads a setting from `<dataPath>/<setting-name>/` when it is there (mad-lab's layout, e.g. the
 * official benchmark data), and generates it otherwise; `say` is told which, once per setting.
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

/** The model of `--layers` (space- or comma-separated registry names); a bad one is a usage error. */
export function architectureFromFlags(
  layersText: string | undefined,
  defaults: readonly string[],
  options: { dim: number; norm: NormKind; backbone?: BackboneChoice },
): ArchitectureSpec {
  const names = layersText === undefined ? [...defaults] : layersText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--layers needs at least one layer name');
  const spec = architectureFromLayers(names, options);
  const problems = validateArchitecture(spec);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return spec;
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
