// Turns the launcher's choices into the runs to train: one setting (with its sizes editable, so a
// tiny demo run fits a laptop or a CPU adapter), every setting of a task's benchmark grid, a
// protocol profile's settings × sweep points, or a width sweep: one setting with the model at each
// listed width (the same layers, `dim` changed; each width checked as its own model). A demo scale shrinks grid and protocol runs to a
// few hundred examples and a few epochs. Problems come back as one sentence each, keyed by the
// field they belong to, before anything reaches a worker: every shown field against the size
// policy first (config/sizePolicy.ts), then each planned run's whole-run memory against WebGPU's
// default limits (train/runMemoryPlan.ts: the page has no device of its own when it launches), and
// only then is a test instance of each run generated.

import { settingsForTask, TASK_GRIDS } from '../../config/taskGridFiles.ts';
import { PLANNING_TARGET } from '../../config/kernelTarget.ts';
import { PROTOCOLS } from '../../config/protocolFiles.ts';
import { checkArchitecture, modelId, problemSentence, type ArchitectureSpec } from '../../model/architecture.ts';
import { MAX_NAME_LENGTH } from '../../config/sizePolicy.ts';
import { launcherChoiceProblems, parseWidths, type LauncherChoice, type LauncherField } from '../../state/launcherChoice.ts';
import { launcherSetting } from '../../state/launcherShareRun.ts';
import type { DemoScale } from '../../share/shareState.ts';
import { settingName } from '../../tasks/settings.ts';
import { createTaskStream } from '../../tasks/stream.ts';
import type { TaskSetting } from '../../tasks/types.ts';
import { enumerateProtocolRuns } from '../../train/protocol.ts';
import { runsWorkload } from '../../train/protocolCompute.ts';
import type { Workload } from '../../model/trainingTime.ts';
import { planRunMemory, WEBGPU_DEFAULT_LIMITS } from '../../train/runMemoryPlan.ts';
import type { RunPlan } from '../../train/types.ts';
import type { LaunchRequest } from '../../runs/runController.ts';
import { settingChoice } from '../explorer/settingChoices.ts';
import { TASK_DESCRIPTIONS } from '../explorer/taskDescriptions.ts';

/** The launcher's choice with the model to train and how often to checkpoint. */
export interface LaunchChoice extends LauncherChoice {
  architecture: ArchitectureSpec;
  checkpointEvery: number;
}

/**
 * One problem of a launch: a launcher field's (the form marks that field), the model's, or one
 * planned run's (a setting the task generator refuses).
 */
export interface LaunchProblem {
  field: LauncherField | 'checkpointEvery' | 'model' | 'run';
  message: string;
}

export type LaunchOutcome = { ok: true; request: LaunchRequest } | { ok: false; problems: LaunchProblem[] };

/** The problems of the fields the launcher shows; cheap, so the form checks them on every edit. */
export function launchFieldProblems(choice: LaunchChoice): LaunchProblem[] {
  const problems: LaunchProblem[] = launcherChoiceProblems(choice);
  const every = choice.checkpointEvery;
  if (!Number.isSafeInteger(every) || every < 1) problems.push({ field: 'checkpointEvery', message: `Checkpoint interval must be a whole number ≥ 1, got ${every}.` });
  return problems;
}

export function launchRequest(choice: LaunchChoice): LaunchOutcome {
  const check = checkArchitecture(choice.architecture);
  const modelProblems = check.ok ? [] : check.problems.map((p): LaunchProblem => ({ field: 'model', message: `Model: ${problemSentence(p)}` }));
  const problems = [...modelProblems, ...launchFieldProblems(choice)];
  if (problems.length > 0) return { ok: false, problems };
  const widthProblems = choice.mode === 'width' ? widthModelProblems(choice) : [];
  if (widthProblems.length > 0) return { ok: false, problems: widthProblems };
  const runs = plannedRuns(choice);
  // A sweep's points share their setting and batch, so their memory and data: check each once
  // (a width sweep's runs differ in their model, so each is checked).
  const checked = new Set<string>();
  for (const { plan, label } of runs) {
    const shape = `${settingName(plan.setting)}|${plan.training.batchSize}|${plan.architecture.dim}`;
    if (checked.has(shape)) continue;
    checked.add(shape);
    const problem = planProblem(plan, label);
    if (problem !== null) return { ok: false, problems: [{ field: 'run', message: problem }] };
  }
  const options = { checkpointEvery: choice.checkpointEvery };
  const model = choice.architecture.name ?? 'the model';
  const scale = choice.demo ? ' (demo scale)' : '';
  switch (choice.mode) {
    case 'setting':
      return { ok: true, request: { kind: 'setting', label: runs[0]!.label, profile: null, runs, options } };
    case 'grid':
      return { ok: true, request: { kind: 'grid', label: `${TASK_DESCRIPTIONS[choice.task].title} grid${scale}, ${model}`, profile: null, runs, options } };
    case 'protocol':
      return { ok: true, request: { kind: 'protocol', label: `${choice.profile} protocol${scale}, ${model}`, profile: choice.profile, runs, options } };
    case 'width': {
      const widths = runs.map((run) => run.plan.architecture.dim).join(', ');
      const setting = runs[0]!.plan.setting;
      const label = `Width sweep d ${widths}, ${TASK_DESCRIPTIONS[setting.task].title} (${sizeText(setting)}), ${baseName(choice.architecture)}`;
      return { ok: true, request: { kind: 'width', label, profile: null, runs, options } };
    }
  }
}

let lastWorkload: { key: string; workload: Workload | null } | null = null;

/**
 * What the launch would train (FLOPs and steps of every planned run), for the launcher's time
 * estimate; null while a field or the model has a problem. Kept for the last choice: counting a
 * protocol's models takes a noticeable fraction of a second, and the form re-renders on every edit.
 */
export function launchWorkload(choice: LaunchChoice): Workload | null {
  const key = JSON.stringify(choice);
  if (lastWorkload?.key !== key) {
    const valid = checkArchitecture(choice.architecture).ok && launchFieldProblems(choice).length === 0 && (choice.mode !== 'width' || widthModelProblems(choice).length === 0);
    lastWorkload = { key, workload: valid ? runsWorkload(plannedRuns(choice).map((run) => run.plan)) : null };
  }
  return lastWorkload.workload;
}

/** The model's name without a trailing "(d 16)" (a width sweep names each width itself). */
function baseName(architecture: ArchitectureSpec): string {
  return (architecture.name ?? modelId(architecture)).replace(/\s*\(d \d+\)$/, '');
}

/** The keys of a layer's head count (mad-lab's attention says n_heads, the linear-attention family num_heads). */
const HEAD_COUNT_KEYS = ['n_heads', 'num_heads'] as const;

/**
 * The model of a width sweep at `dim`: the same layers named with its width, each multi-head layer
 * keeping its head size (dim ÷ heads at the model's own width) with as many heads as the new width
 * holds, as width sweeps of the synthetic-recall literature do; so attention's rotary dimension,
 * which MAD ties to the head size, stays valid. A width the head size does not divide keeps the
 * head count, and the model's own check then says why that width cannot be.
 */
export function atWidth(architecture: ArchitectureSpec, dim: number): ArchitectureSpec {
  const suffix = ` (d ${dim})`;
  const name = baseName(architecture).slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
  const check = checkArchitecture(architecture);
  if (!check.ok) return { ...architecture, dim, name };
  const layers = architecture.layers.map((layer, i) => {
    const config = check.resolved.layers[i]!.config;
    const key = HEAD_COUNT_KEYS.find((k) => typeof config[k] === 'number');
    if (key === undefined) return layer;
    const headSize = architecture.dim / (config[key] as number);
    if (!Number.isInteger(headSize) || dim % headSize !== 0) return layer;
    return { ...layer, config: { ...layer.config, [key]: dim / headSize } };
  });
  return { ...architecture, dim, name, layers };
}

/** Each listed width's model checked on its own (a head count must divide the width, say), keyed to the widths field. */
function widthModelProblems(choice: LaunchChoice): LaunchProblem[] {
  const widths = parseWidths(choice.widths);
  if (!widths.ok) return [{ field: 'widths', message: widths.message }];
  return widths.widths.flatMap((dim) => {
    const check = checkArchitecture(atWidth(choice.architecture, dim));
    return check.ok ? [] : [{ field: 'widths' as const, message: `Width ${dim}: ${problemSentence(check.problems[0]!)} Each width keeps the model’s head size, so choose a width it divides, or change the model.` }];
  });
}

function plannedRuns(choice: LaunchChoice): { plan: RunPlan; label: string }[] {
  const { architecture, training } = choice;
  const seed = training.seed;
  switch (choice.mode) {
    case 'setting': {
      const setting = launcherSetting(choice);
      const gridLabel = settingChoice(choice.task, choice.settingIndex)?.label ?? 'baseline';
      return [{ plan: { architecture, setting, training }, label: `${TASK_DESCRIPTIONS[choice.task].title}, ${gridLabel}: ${sizeText(setting)}` }];
    }
    case 'grid':
      return settingsForTask(choice.task).map((grid, index) => {
        const setting = scaled({ ...grid, seed }, choice.demo);
        const plan: RunPlan = { architecture, setting, training: choice.demo ? { ...training, epochs: choice.demo.epochs } : training };
        return { plan, label: `${TASK_DESCRIPTIONS[choice.task].title}, ${settingChoice(choice.task, index)?.label ?? 'baseline'}: ${sizeText(setting)}` };
      });
    case 'width': {
      const setting = launcherSetting(choice);
      const parsed = parseWidths(choice.widths);
      const widths = parsed.ok ? parsed.widths : [];
      return widths.map((dim) => ({
        plan: { architecture: atWidth(architecture, dim), setting, training },
        label: `${TASK_DESCRIPTIONS[choice.task].title}, d ${dim}: ${sizeText(setting)}`,
      }));
    }
    case 'protocol':
      return enumerateProtocolRuns(PROTOCOLS[choice.profile], architecture, seed).map(({ plan }) => {
        const setting = scaled(plan.setting, choice.demo);
        const epochs = choice.demo ? choice.demo.epochs : plan.training.epochs;
        const runPlan: RunPlan = { architecture, setting, training: { ...plan.training, epochs, batchSize: training.batchSize } };
        const { lr, weightDecay } = plan.training;
        return { plan: runPlan, label: `${TASK_DESCRIPTIONS[setting.task].title}: ${settingName(setting)}, lr ${lr}, wd ${weightDecay}` };
      });
  }
}

/** "V 16, L 128, 12,800 train / 1,280 test". */
function sizeText(setting: TaskSetting): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `V ${setting.vocabSize}, L ${setting.seqLen}, ${count(setting.numTrainExamples)} train / ${count(setting.numTestExamples)} test`;
}

/**
 * A setting at demo scale: the task's baseline shrinks to the demo's example counts and every
 * other setting in proportion, so a grid's "fewer training examples" settings stay fewer.
 */
function scaled(setting: TaskSetting, demo: DemoScale | null): TaskSetting {
  if (demo === null) return setting;
  const baseline = TASK_GRIDS[setting.task].baseline;
  const shrink = (count: number, baselineCount: number, demoCount: number) =>
    Math.max(1, Math.round(count * Math.min(1, demoCount / baselineCount)));
  return {
    ...setting,
    numTrainExamples: shrink(setting.numTrainExamples, baseline.numTrainExamples, demo.numTrainExamples),
    numTestExamples: shrink(setting.numTestExamples, baseline.numTestExamples, demo.numTestExamples),
  };
}

/**
 * Why one planned run cannot start, as one sentence; null when it can. The memory plan comes first
 * (it applies the size policy's caps before tracing anything), so the generator below never sees
 * a size it would take minutes or gigabytes to honour.
 */
function planProblem(plan: RunPlan, label: string): string | null {
  const memory = planRunMemory(plan, WEBGPU_DEFAULT_LIMITS, { target: PLANNING_TARGET });
  if (!memory.ok) return `${label}: ${memory.problems.map((p) => p.message).join(' ')}`;
  return settingProblem(plan.setting);
}

/** The task generator's own check of a setting (token layout, sizes), as one sentence; null when valid. */
function settingProblem(setting: TaskSetting): string | null {
  try {
    createTaskStream(setting).next('test');
    return null;
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}: change the vocabulary or the length.`;
  }
}
