// The whole-run memory plan: MAD's own grid fits the default budget on any WebGPU device, the split
// it picks is the trainer's, and oversized runs are refused with the domain's message before any
// trace (a spy counts the traces) or allocation (the heap is measured).
import { describe, expect, it, vi } from 'vitest';
import { loadTaskGrids } from '../config/taskGridDisk.ts';
import { KERNEL_TARGETS, PLANNING_TARGET } from '../config/kernelTarget.ts';
import { loadPresets } from '../model/presets.ts';
import { SIZE_LIMITS } from '../config/sizePolicy.ts';
import { enumerateSettings } from '../config/taskGrid.ts';
import { architectureFromLayers, type ArchitectureSpec } from '../model/architecture.ts';
import { MAD_DEFAULTS } from '../tasks/settings.ts';
import { modelInputLength } from '../tasks/stream.ts';
import type { TaskName, TaskSetting } from '../tasks/types.ts';
import { planMicroBatches } from './microBatching.ts';
import { DEFAULT_RUN_MEMORY_BUDGET_BYTES, planRunMemory, WEBGPU_DEFAULT_LIMITS, type DeviceSizeLimits } from './runMemoryPlan.ts';
import * as trainingProgram from './trainingProgram.ts';
import { DEFAULT_TRAINING, type RunPlan } from './types.ts';

vi.mock('./trainingProgram.ts', async (importOriginal) => {
  const original = await importOriginal<typeof trainingProgram>();
  return { ...original, buildTrainingProgram: vi.fn(original.buildTrainingProgram) };
});
const traces = vi.mocked(trainingProgram.buildTrainingProgram);

const PAPER_MODELS = loadPresets().filter((p) => p.source === 'paper');
const MAD_GRID = Object.values(loadTaskGrids()).flatMap((grid) => enumerateSettings(grid));

/** A setting as a pasted plan may carry it: not validated, so over the caps is possible. */
const rawSetting = (task: TaskName, fields: Partial<TaskSetting>): TaskSetting => ({ ...MAD_DEFAULTS, ...fields, task });
const planOf = (architecture: ArchitectureSpec, setting: TaskSetting, batchSize = DEFAULT_TRAINING.batchSize): RunPlan => ({
  architecture,
  setting,
  training: { ...DEFAULT_TRAINING, batchSize },
});
/** Device limits as large as the budget: only the budget binds. */
const budgetOnly = (budget: number): DeviceSizeLimits => ({ maxBufferSize: budget, maxStorageBufferBindingSize: budget, maxComputeWorkgroupsPerDimension: 65_535 });

describe('planRunMemory', () => {
  it("fits every MAD grid setting with each of the paper's 4-layer models (d = 128) in the default budget on WebGPU's default limits", () => {
    expect(PAPER_MODELS.length).toBeGreaterThanOrEqual(8);
    expect(MAD_GRID).toHaveLength(66);
    for (const preset of PAPER_MODELS) {
      expect(preset.architecture.layers).toHaveLength(4);
      expect(preset.architecture.dim).toBe(128);
      for (const setting of MAD_GRID) {
        const outcome = planRunMemory(planOf(preset.architecture, setting), WEBGPU_DEFAULT_LIMITS, { target: PLANNING_TARGET });
        if (!outcome.ok) throw new Error(`${preset.id} on ${setting.task} V=${setting.vocabSize} L=${setting.seqLen}: ${outcome.problems.map((p) => p.message).join(' ')}`);
        const { memory } = outcome;
        const gpuBytes = memory.parameterBytes + memory.optimizerBytes + memory.activationBytes;
        expect(gpuBytes).toBeLessThanOrEqual(DEFAULT_RUN_MEMORY_BUDGET_BYTES);
        expect(memory.dataBytes).toBe(2 * 4 * (setting.numTrainExamples + setting.numTestExamples) * modelInputLength(setting));
        expect(memory.totalBytes).toBe(memory.dataBytes + gpuBytes);
        expect(memory.budgetBytes).toBe(DEFAULT_RUN_MEMORY_BUDGET_BYTES);
      }
    }
  }, 300_000);

  it("picks the trainer's split: planMicroBatches over every candidate gives the same micro-batches and bytes", () => {
    // One setting per task at its largest sequence and vocabulary, where the split matters most.
    const largest = new Map<TaskName, TaskSetting>();
    for (const s of MAD_GRID) {
      const seen = largest.get(s.task);
      if (seen === undefined || s.seqLen * s.vocabSize > seen.seqLen * seen.vocabSize) largest.set(s.task, s);
    }
    for (const preset of PAPER_MODELS.slice(0, 2)) {
      for (const setting of largest.values()) {
        const plan = planOf(preset.architecture, setting);
        for (const target of KERNEL_TARGETS) {
          const limits = WEBGPU_DEFAULT_LIMITS;
          const outcome = planRunMemory(plan, limits, { target });
          const trainer = planMicroBatches(
            (rows) =>
              trainingProgram.buildTrainingProgram({
                architecture: plan.architecture,
                target,
                vocabSize: setting.vocabSize,
                maxLength: setting.seqLen,
                task: setting.task,
                batchSize: rows,
                seqLen: modelInputLength(setting),
                weightDecay: 0,
                seed: 0,
                planOnly: true,
              }),
            plan.training.batchSize,
            limits,
          );
          expect(outcome.ok && outcome.memory.microBatches, `${preset.id} ${setting.task} ${target}`).toBe(trainer.microBatches);
          if (outcome.ok) expect(outcome.memory.parameterBytes + outcome.memory.optimizerBytes + outcome.memory.activationBytes).toBe(trainer.bytes);
        }
      }
    }
  }, 120_000);

  it('refuses a 10-million-token sequence by the size policy, without tracing', () => {
    traces.mockClear();
    const outcome = planRunMemory(planOf(architectureFromLayers(['mh-attention', 'swiglu']), rawSetting('in-context-recall', { seqLen: 10_000_000 })), WEBGPU_DEFAULT_LIMITS, { target: 'cpu' });
    expect(outcome).toEqual({
      ok: false,
      problems: [expect.objectContaining({ path: 'setting', key: 'seqLen', limit: SIZE_LIMITS.seqLen.limit, value: 10_000_000 })],
    });
    if (!outcome.ok) expect(outcome.problems[0]!.message).toBe("Sequence length 10,000,000 is over the limit of 16,384 (16× MAD's largest sequence length (1,024)): use a shorter sequence.");
    expect(traces).not.toHaveBeenCalled();
  });

  it('refuses a vocabulary at the cap with d = 2,048 by the memory budget, without tracing or allocating', () => {
    traces.mockClear();
    const before = process.memoryUsage();
    const plan = planOf(architectureFromLayers(['mlp', 'mlp'], { dim: SIZE_LIMITS.dim.limit }), rawSetting('memorization', { vocabSize: SIZE_LIMITS.vocabSize.limit, seqLen: 32 }));
    const outcome = planRunMemory(plan, WEBGPU_DEFAULT_LIMITS, { target: 'cpu' });
    const after = process.memoryUsage();
    expect(traces).not.toHaveBeenCalled();
    // The embedding alone is 1 GiB of weights: a build that drew them would show here.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 2 ** 20);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => [p.path, p.key, p.limit])).toEqual([
      ['memory', 'memory', DEFAULT_RUN_MEMORY_BUDGET_BYTES],
      ['memory', 'buffer', WEBGPU_DEFAULT_LIMITS.maxStorageBufferBindingSize],
    ]);
    expect(outcome.problems[0]!.message).toBe(
      'Training needs at least 4.02 GiB of GPU memory even split into micro-batches of one sequence (128 per step), over the memory budget of 1.00 GiB: use a shorter sequence, a smaller vocabulary or a narrower or shallower model.',
    );
    expect(outcome.problems[1]!.message).toMatch(/^Training needs at least 1\.00 GiB in one GPU buffer .*, over the device's limit of 128\.0 MiB per buffer: use a shorter sequence, a smaller vocabulary or a narrower or shallower model\.$/);
  });

  it('gives the traced figures when no lower bound rules a run out: long sequences through wide MLPs', () => {
    const plan = planOf(architectureFromLayers(['mlp', 'mlp'], { dim: 2048 }), rawSetting('memorization', { vocabSize: 16, seqLen: 8192 }), 4);
    const outcome = planRunMemory(plan, budgetOnly(2 ** 34), { target: 'cpu', budgetBytes: DEFAULT_RUN_MEMORY_BUDGET_BYTES, budgetFlag: '--memory-budget' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatchObject({ path: 'memory', key: 'memory', limit: DEFAULT_RUN_MEMORY_BUDGET_BYTES });
    expect(outcome.problems[0]!.value).toBeGreaterThan(DEFAULT_RUN_MEMORY_BUDGET_BYTES);
    expect(outcome.problems[0]!.message).toMatch(/^Training needs \d+\.\d\d GiB of GPU memory even split into micro-batches of one sequence \(4 per step\), over the memory budget of 1\.00 GiB: .* raise the budget \(--memory-budget\)\.$/);
    // 6 GiB takes it, one sequence per micro-batch.
    const roomy = planRunMemory(plan, budgetOnly(6 * 2 ** 30), { target: 'cpu', budgetBytes: 6 * 2 ** 30 });
    expect(roomy.ok && roomy.memory.microBatches).toBe(4);
  });

  it('refuses data larger than the budget, naming the figure and what to change', () => {
    const setting = rawSetting('memorization', { vocabSize: 16, seqLen: 4096, numTrainExamples: 200_000, numTestExamples: 1_000 });
    const outcome = planRunMemory(planOf(architectureFromLayers(['mlp'], { dim: 16 }), setting), WEBGPU_DEFAULT_LIMITS, { target: 'cpu' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual([
      {
        path: 'memory',
        key: 'memory',
        limit: DEFAULT_RUN_MEMORY_BUDGET_BYTES,
        value: 2 * 4 * 201_000 * 4096,
        reason: 'the memory budget of one run',
        message:
          'The data take 6.13 GiB (201,000 sequences of 4,096 tokens, inputs and targets), over the memory budget of 1.00 GiB: use fewer examples or a shorter sequence.',
      },
    ]);
  });

  it('refuses dispatches over the device grid, and skips splits whose matmul grid exceeds 65,535 workgroups', () => {
    const small = planOf(architectureFromLayers(['mlp'], { dim: 16 }), rawSetting('memorization', { vocabSize: 16, seqLen: 64 }), 2);
    const outcome = planRunMemory(small, { ...WEBGPU_DEFAULT_LIMITS, maxComputeWorkgroupsPerDimension: 1 }, { target: 'cpu' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.problems).toEqual([expect.objectContaining({ path: 'memory', key: 'dispatch', limit: 1 })]);
      expect(outcome.problems[0]!.message).toMatch(/^Training needs a GPU dispatch of \d+ workgroups along one dimension even with one sequence per micro-batch, over the device's limit of 1: use a shorter sequence or a narrower model\.$/);
    }
    // 2,048 × 16,384 tokens in one matmul is a grid of 524,288 rows of workgroups: the engine refuses
    // to trace it, so the plan splits the batch until every grid fits.
    traces.mockClear();
    const long = planOf(architectureFromLayers(['mlp'], { dim: 16 }), rawSetting('compression', { vocabSize: 16, seqLen: 16_384 }), 2048);
    const split = planRunMemory(long, budgetOnly(2 ** 40), { target: 'cpu', budgetBytes: 2 ** 40 });
    expect(traces.mock.results.some((r) => r.type === 'throw' && /exceeds 65535 workgroups per dimension/.test(String(r.value)))).toBe(true);
    expect(split.ok && split.memory.microBatches).toBeGreaterThan(1);
  });

  it('refuses an invalid architecture and oversize training values as problems, without tracing', () => {
    traces.mockClear();
    const architecture = { ...architectureFromLayers(['mlp']), layers: [{ type: 'transformer' }] };
    const plan: RunPlan = { architecture, setting: rawSetting('memorization', {}), training: { ...DEFAULT_TRAINING, batchSize: 100_000 } };
    const outcome = planRunMemory(plan, WEBGPU_DEFAULT_LIMITS, { target: 'cpu' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.problems.map((p) => p.key)).toEqual(['batchSize', 'architecture']);
      expect(outcome.problems[1]!.message).toMatch(/^The architecture is invalid: layers\[0\]: unknown layer type "transformer" \(known: .*\)\.$/);
    }
    expect(traces).not.toHaveBeenCalled();
  });
});
