// The whole run's memory, planned before anything is allocated: the CLI, the Runs launcher and the
// worker call planRunMemory with a RunPlan before they generate or read data, draw a weight or
// touch a GPU. It applies the size policy's fixed caps first (config/sizePolicy.ts) and returns
// those problems without tracing; then it sizes the data (train and test inputs and targets, Int32,
// on the host) and traces the training program, without initial values, at the micro-batch split
// the trainer would choose (train/microBatching.ts: the first of 1, 2, 4, … micro-batches whose GPU
// pools fit), for the kernel target the run will train with, and checks it against the memory
// budget and the device's buffer and dispatch limits.
//
// The budget bounds the GPU pools, exactly as the trainer's micro-batching does, and separately the
// host copy of the data: the two live in different memories, so neither eats into the other.
// Splits that cannot fit by a lower bound (the embedding's weights, gradients and AdamW moments, the
// logits and the embedded sequence) are never traced, so a vocabulary or length far over the budget
// is refused in microseconds and the trace never materialises an oversized tensor.

import { KERNEL_TARGETS, type KernelTarget, type PlanningTarget } from '../config/kernelTarget.ts';
import { settingSizeProblems, trainingSizeProblems, type SizeProblem } from '../config/sizePolicy.ts';
import type { Pool } from '../engine/tensor.ts';
import { checkArchitecture, problemSentence, resolveBackbone } from '../model/architecture.ts';
import { modelInputLength } from '../tasks/stream.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { DEFAULT_MEMORY_BUDGET_BYTES } from './microBatching.ts';
import { buildTrainingProgram } from './trainingProgram.ts';
import type { RunPlan } from './types.ts';

/** The trainer's default for the GPU pools (1 GiB, microBatching.ts), also the cap of the host's data. */
export const DEFAULT_RUN_MEMORY_BUDGET_BYTES: number = DEFAULT_MEMORY_BUDGET_BYTES;

/** The device limits a run's sizes meet (names as in GPUSupportedLimits). */
export interface DeviceSizeLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** WebGPU's core defaults: what every device grants, for callers that have none yet (the page). */
export const WEBGPU_DEFAULT_LIMITS: DeviceSizeLimits = {
  maxBufferSize: 268_435_456,
  maxStorageBufferBindingSize: 134_217_728,
  maxComputeWorkgroupsPerDimension: 65_535,
};

export interface RunMemoryPlan {
  /** Train and test inputs and targets as Int32, on the host. */
  dataBytes: number;
  /** Weights and their gradients (GPU). */
  parameterBytes: number;
  /** AdamW's two moments (GPU). */
  optimizerBytes: number;
  /** Activations, their gradients, scratch and metric counters of one micro-batch (GPU). */
  activationBytes: number;
  /** Everything above: host data and GPU pools. */
  totalBytes: number;
  /** Bounds the GPU pools together, and the data on their own. */
  budgetBytes: number;
  /** Micro-batches per optimizer step, as the trainer chooses them. */
  microBatches: number;
}

export type RunMemoryOutcome = { ok: true; memory: RunMemoryPlan } | { ok: false; problems: SizeProblem[] };

export interface RunMemoryOptions {
  /** The kernels the run will record (its device's EngineGpu.target; 'either' before there is one): their scratch differs a little. */
  target: PlanningTarget;
  /** Default DEFAULT_RUN_MEMORY_BUDGET_BYTES. */
  budgetBytes?: number;
  /**
   * How this caller's user raises the budget (the CLI's `--memory-budget`); without one (the page
   * has no such setting) messages do not suggest raising it.
   */
  budgetFlag?: string;
}

const BYTES_PER_VALUE = 4;

/** Fixed caps first, then the data, the traced program, the budget and the device's limits. */
export function planRunMemory(plan: RunPlan, limits: DeviceSizeLimits, options: RunMemoryOptions): RunMemoryOutcome {
  const { target, budgetBytes = DEFAULT_RUN_MEMORY_BUDGET_BYTES, budgetFlag } = options;
  if (!(Number.isSafeInteger(budgetBytes) && budgetBytes > 0)) throw new Error(`the memory budget must be a positive whole number of bytes, got ${budgetBytes}`);
  const fixed = fixedProblems(plan);
  if (fixed.length > 0) return { ok: false, problems: fixed };

  const problems: SizeProblem[] = [];
  const inputLength = modelInputLength(plan.setting);
  const dataBytes = settingDataBytes(plan.setting);
  const dataProblem = dataMemoryProblem(plan.setting, budgetBytes, budgetFlag);
  if (dataProblem !== null) problems.push(dataProblem);

  const split = chooseSplit(plan, target, inputLength, limits, budgetBytes, budgetFlag);
  if ('problems' in split) return { ok: false, problems: [...problems, ...split.problems] };
  if (problems.length > 0) return { ok: false, problems };
  const pools = split.pools;
  const parameterBytes = pools.param + pools.paramGrad;
  const activationBytes = pools.activation + pools.grad + pools.metric;
  return {
    ok: true,
    memory: {
      dataBytes,
      parameterBytes,
      optimizerBytes: pools.optimizer,
      activationBytes,
      totalBytes: dataBytes + parameterBytes + pools.optimizer + activationBytes,
      budgetBytes,
      microBatches: split.microBatches,
    },
  };
}

/** Bytes of a setting's train and test inputs and targets as Int32 (how every data source holds them). */
export function settingDataBytes(setting: TaskSetting): number {
  return 2 * (setting.numTrainExamples + setting.numTestExamples) * modelInputLength(setting) * BYTES_PER_VALUE;
}

/** The problem of a setting's data over `budgetBytes`, or null (for whoever generates or reads data, not only runs). */
export function dataMemoryProblem(setting: TaskSetting, budgetBytes: number, budgetFlag?: string): SizeProblem | null {
  const dataBytes = settingDataBytes(setting);
  if (dataBytes <= budgetBytes) return null;
  const sequences = setting.numTrainExamples + setting.numTestExamples;
  const [figure, budget] = overLimit(dataBytes, budgetBytes);
  return memoryProblem(
    'memory',
    budgetBytes,
    dataBytes,
    `The data take ${figure} (${count(sequences)} sequences of ${count(modelInputLength(setting))} tokens, inputs and targets), over the memory budget of ${budget}: use fewer examples or a shorter sequence${raiseBudget(budgetFlag)}.`,
  );
}

/** The size policy's caps and the architecture's own validity: no tracing before these pass. */
function fixedProblems(plan: RunPlan): SizeProblem[] {
  // The architecture's size problems come from the policy, in its own records; the rest are its validity.
  const check = checkArchitecture(plan.architecture);
  const architectureProblems = check.ok ? [] : check.problems;
  const sizes = architectureProblems.flatMap((p) => (p.size === undefined ? [] : [p.size]));
  const problems = [...settingSizeProblems(plan.setting), ...trainingSizeProblems(plan.training), ...sizes];
  if (Number.isSafeInteger(plan.training.batchSize) && plan.training.batchSize < 1) {
    problems.push({ path: 'training', key: 'batchSize', limit: 1, value: plan.training.batchSize, reason: 'a step trains at least one sequence', message: `Batch size must be at least 1, got ${plan.training.batchSize}.` });
  }
  const invalid = architectureProblems.filter((p) => p.size === undefined).map((p) => problemSentence(p));
  if (invalid.length > 0) {
    problems.push({
      path: 'architecture',
      key: 'architecture',
      limit: 0,
      value: invalid.length,
      reason: 'only a valid architecture can be traced',
      message: `The architecture is invalid: ${invalid.join('; ')}.`,
    });
  }
  return problems;
}

type PoolBytes = Record<Pool, number>;

/** What one trace at `rows` sequences per micro-batch needs. */
type Traced = { pools: PoolBytes; largestPool: Pool; largestGrid: number } | { gridError: number };

/**
 * The trainer's split: the first k of 1, 2, 4, …, B whose pools fit the budget and the device's
 * buffers (planMicroBatches' rule), skipping splits a lower bound already rules out, and splits whose
 * dispatches exceed the device's grid (more micro-batches make every grid smaller).
 */
function chooseSplit(plan: RunPlan, target: PlanningTarget, inputLength: number, limits: DeviceSizeLimits, budgetBytes: number, budgetFlag: string | undefined): { pools: PoolBytes; microBatches: number } | { problems: SizeProblem[] } {
  const batchSize = plan.training.batchSize;
  const maxPool = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const bound = lowerBound(plan, inputLength);
  const fitsBound = (rows: number): boolean => bound.total(rows) <= budgetBytes && bound.largest(rows) <= maxPool;
  for (const k of microBatchCounts(batchSize)) {
    const rows = Math.ceil(batchSize / k);
    if (!fitsBound(rows)) continue;
    const traced = traceAt(plan, target, inputLength, rows);
    if ('gridError' in traced || traced.largestGrid > limits.maxComputeWorkgroupsPerDimension) continue;
    const total = sumOf(traced.pools);
    if (total <= budgetBytes && traced.pools[traced.largestPool] <= maxPool) return { pools: traced.pools, microBatches: k };
  }
  // Nothing fits: describe the most split step, one sequence per micro-batch.
  const oneRow = fitsBound(1) ? traceAt(plan, target, inputLength, 1) : null;
  const problems: SizeProblem[] = [];
  const remedy = 'use a shorter sequence, a smaller vocabulary or a narrower or shallower model';
  if (oneRow !== null && 'gridError' in oneRow) {
    return { problems: [dispatchProblem(oneRow.gridError, limits)] };
  }
  if (oneRow !== null && oneRow.largestGrid > limits.maxComputeWorkgroupsPerDimension) {
    return { problems: [dispatchProblem(oneRow.largestGrid, limits)] };
  }
  const total = oneRow === null ? bound.total(1) : sumOf(oneRow.pools);
  const largest = oneRow === null ? bound.largest(1) : oneRow.pools[oneRow.largestPool];
  const atLeast = oneRow === null ? 'at least ' : '';
  const step = `even split into micro-batches of one sequence (${count(batchSize)} per step)`;
  if (total > budgetBytes) {
    const [figure, budget] = overLimit(total, budgetBytes);
    problems.push(
      memoryProblem('memory', budgetBytes, total, `Training needs ${atLeast}${figure} of GPU memory ${step}, over the memory budget of ${budget}: ${remedy}${raiseBudget(budgetFlag)}.`),
    );
  }
  // A buffer limit at or above the budget never binds first: the budget's problem says it all.
  if (largest > maxPool && maxPool < budgetBytes) {
    const pool = oneRow === null ? '' : ` of ${oneRow.largestPool} memory`;
    const [figure, limit] = overLimit(largest, maxPool);
    problems.push(
      memoryProblem('buffer', maxPool, largest, `Training needs ${atLeast}${figure}${pool} in one GPU buffer ${step}, over the device's limit of ${limit} per buffer: ${remedy}.`),
    );
  }
  return { problems };
}

/** The end of a remedy: how to raise the budget, where the caller has a way. */
function raiseBudget(budgetFlag: string | undefined): string {
  return budgetFlag === undefined ? '' : `, or raise the budget (${budgetFlag})`;
}

/** 1, 2, 4, … below the batch size, then the batch size: the trainer's candidates. */
function microBatchCounts(batchSize: number): number[] {
  const counts: number[] = [];
  for (let k = 1; k < batchSize; k *= 2) counts.push(k);
  counts.push(batchSize);
  return counts;
}

/**
 * Bytes no trace can come in under: the embedding table with its gradient and AdamW's two moments,
 * and per micro-batch the logits and the embedded sequence (both activations).
 */
function lowerBound(plan: RunPlan, inputLength: number): { total(rows: number): number; largest(rows: number): number } {
  const { vocabSize } = plan.setting;
  const { dim } = plan.architecture;
  const embedding = vocabSize * dim * BYTES_PER_VALUE;
  const activations = (rows: number): number => rows * inputLength * (vocabSize + dim) * BYTES_PER_VALUE;
  return { total: (rows) => 4 * embedding + activations(rows), largest: (rows) => Math.max(embedding, activations(rows)) };
}

/** Traces seen recently, by everything that shapes them: a benchmark plans each setting's sweep points alike. */
const traces = new Map<string, Traced>();
const TRACES_KEPT = 512;

function traceAt(plan: RunPlan, target: PlanningTarget, inputLength: number, rows: number): Traced {
  if (target === 'either') return larger(KERNEL_TARGETS.map((t) => traceAt(plan, t, inputLength, rows)));
  const { setting, architecture } = plan;
  const key = JSON.stringify([architecture, setting.vocabSize, setting.seqLen, resolveBackbone(architecture, setting.task), inputLength, rows, target]);
  let traced = traces.get(key);
  if (traced === undefined) {
    traced = trace(plan, target, inputLength, rows);
    if (traces.size >= TRACES_KEPT) traces.delete(traces.keys().next().value!);
    traces.set(key, traced);
  }
  return traced;
}

/** Pool by pool the larger of the traces, and the larger grid (a grid error if any trace has one). */
function larger(traced: Traced[]): Traced {
  const gridErrors = traced.flatMap((t) => ('gridError' in t ? [t.gridError] : []));
  if (gridErrors.length > 0) return { gridError: Math.max(...gridErrors) };
  const fitted = traced as Exclude<Traced, { gridError: number }>[];
  const pools = { ...fitted[0]!.pools };
  for (const t of fitted) for (const pool of Object.keys(pools) as Pool[]) pools[pool] = Math.max(pools[pool], t.pools[pool]);
  const largestPool = (Object.keys(pools) as Pool[]).reduce((a, b) => (pools[b] > pools[a] ? b : a));
  return { pools, largestPool, largestGrid: Math.max(...fitted.map((t) => t.largestGrid)) };
}

/** A matmul's grid over the guaranteed 65,535 workgroups is refused while tracing (engine/ops/matmul). */
const GRID_ERROR = /grid (\d+)×(\d+)×(\d+) exceeds \d+ workgroups per dimension/;

function trace(plan: RunPlan, target: KernelTarget, inputLength: number, rows: number): Traced {
  let program;
  try {
    program = buildTrainingProgram({
      architecture: plan.architecture,
      target,
      vocabSize: plan.setting.vocabSize,
      maxLength: plan.setting.seqLen, // as the trainer: benchmark.py's max_length is the task's seq_len
      task: plan.setting.task,
      batchSize: rows,
      seqLen: inputLength,
      weightDecay: plan.training.weightDecay,
      seed: plan.training.seed,
      planOnly: true,
    });
  } catch (error) {
    const grid = error instanceof Error ? GRID_ERROR.exec(error.message) : null;
    if (grid === null) throw error;
    return { gridError: Math.max(Number(grid[1]), Number(grid[2]), Number(grid[3])) };
  }
  const pools = { ...program.graph.plannedBytes };
  const largestPool = (Object.keys(pools) as Pool[]).reduce((a, b) => (pools[b] > pools[a] ? b : a));
  let largestGrid = 0;
  for (const launch of program.graph.launches) largestGrid = Math.max(largestGrid, ...launch.workgroups);
  return { pools, largestPool, largestGrid };
}

function dispatchProblem(grid: number, limits: DeviceSizeLimits): SizeProblem {
  const limit = limits.maxComputeWorkgroupsPerDimension;
  return memoryProblem(
    'dispatch',
    limit,
    grid,
    `Training needs a GPU dispatch of ${count(grid)} workgroups along one dimension even with one sequence per micro-batch, over the device's limit of ${count(limit)}: use a shorter sequence or a narrower model.`,
  );
}

function memoryProblem(key: 'memory' | 'buffer' | 'dispatch', limit: number, value: number, message: string): SizeProblem {
  const reason = {
    memory: 'the memory budget of one run',
    buffer: "the device's largest buffer and binding",
    dispatch: "the device's workgroups per dispatch dimension",
  }[key];
  return { path: 'memory', key, limit, value, reason, message };
}

const sumOf = (pools: PoolBytes): number => Object.values(pools).reduce((a, b) => a + b, 0);
const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes as people read them: KiB below a MiB, MiB below a GiB, GiB above. */
function bytes(n: number, extraDigits = 0): string {
  if (n < 2 ** 20) return `${(n / 2 ** 10).toFixed(1 + extraDigits)} KiB`;
  return n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1 + extraDigits)} MiB` : `${(n / 2 ** 30).toFixed(2 + extraDigits)} GiB`;
}

/** A figure and the limit it is over, with as many digits as it takes to tell them apart. */
function overLimit(value: number, limit: number): [string, string] {
  for (let extra = 0; extra < 6; extra++) {
    const pair: [string, string] = [bytes(value, extra), bytes(limit, extra)];
    if (pair[0] !== pair[1]) return pair;
  }
  return [`${count(value)} bytes`, `${count(limit)} bytes`];
}
