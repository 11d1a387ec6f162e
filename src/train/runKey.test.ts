import { describe, expect, it } from 'vitest';
import { TASK_GRIDS } from '../config/taskGridFiles.ts';
import { enumerateSettings } from '../config/taskGrid.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { TASK_NAMES } from '../tasks/types.ts';
import { parseRunDirName, runDirName, runDirNameOf, runKeyOf, type RunKey } from './runKey.ts';
import { DEFAULT_TRAINING } from './types.ts';

const transformer = architectureFromLayers(['mh-attention', 'swiglu', 'mh-attention', 'swiglu']);

function benchmarkKey(overrides: Partial<RunKey> = {}): RunKey {
  return {
    setting: makeSetting('in-context-recall'),
    batchSize: 128,
    epochs: 200,
    lr: 1e-4,
    weightDecay: 0,
    optimizer: 'adamw',
    scheduler: 'cosine',
    modelId: 'mA-Sg-mA-Sg',
    ...overrides,
  };
}

describe('runDirName', () => {
  it("writes mad-lab's make_log_path names", () => {
    expect(runDirName(benchmarkKey())).toBe(
      't-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-200_lr-0#0001_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg-mA-Sg',
    );
    const noisy = makeSetting('noisy-in-context-recall', { vocabSize: 32, noiseVocabSize: 16, fracNoise: 0.2 });
    expect(runDirName(benchmarkKey({ setting: noisy, lr: 5e-4, weightDecay: 0.1, modelId: 'mH-Sg-mA-Sg' }))).toBe(
      't-NR_vs-32_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#2_nvs-16_ntc-0_bs-128_e-200_lr-0#0005_wd-0#1_opt-adamw_sch-cosine_s-12345_model-mH-Sg-mA-Sg',
    );
  });

  it("formats lr and weight decay as Python's str(float)", () => {
    expect(runDirName(benchmarkKey({ lr: 1e-3 }))).toContain('_lr-0#001_');
    expect(runDirName(benchmarkKey({ lr: 5e-5 }))).toContain('_lr-5e-05_');
    expect(runDirName(benchmarkKey({ lr: 1 }))).toContain('_lr-1#0_');
  });

  it('names a plan by its training flags and model id', () => {
    const setting = makeSetting('memorization', { vocabSize: 256, seqLen: 32, numTrainExamples: 256 });
    const name = runDirNameOf({ architecture: transformer, setting, training: { ...DEFAULT_TRAINING, epochs: 20 } });
    expect(name).toBe(
      't-M_vs-256_sl-32_ntr-256_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-20_lr-0#0005_wd-0#0_opt-adamw_sch-cosine_s-12345_model-mA-Sg-mA-Sg',
    );
  });

  it('refuses a plan whose data and training seeds differ', () => {
    const plan = { architecture: transformer, setting: makeSetting('compression', { seed: 1 }), training: DEFAULT_TRAINING };
    expect(() => runKeyOf(plan)).toThrow(/data seed 1 and training seed 12345/);
  });

  it('refuses values it cannot name', () => {
    expect(() => runDirName(benchmarkKey({ lr: 0 }))).toThrow(/lr must be a positive number/);
    expect(() => runDirName(benchmarkKey({ modelId: 'a_b' }))).toThrow(/model id/);
  });
});

describe('parseRunDirName', () => {
  it('round-trips all 396 runs of the benchmark', () => {
    const names = new Set<string>();
    for (const task of TASK_NAMES) {
      for (const setting of enumerateSettings(TASK_GRIDS[task])) {
        for (const lr of [1e-4, 5e-4, 1e-3]) {
          for (const weightDecay of [0, 0.1]) {
            const key = benchmarkKey({ setting, lr, weightDecay });
            const name = runDirName(key);
            expect(parseRunDirName(name)).toEqual(key);
            names.add(name);
          }
        }
      }
    }
    expect(names.size).toBe(396);
  });

  it('reads a mad-lab name back into its columns', () => {
    const key = parseRunDirName(
      't-SC_vs-16_sl-256_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-96_bs-128_e-200_lr-0#001_wd-0#1_opt-adamw_sch-cosine_s-12345_model-H-Sg-H-Sg',
    );
    expect(key).toEqual(
      benchmarkKey({ setting: makeSetting('selective-copying', { seqLen: 256, numTokensToCopy: 96 }), lr: 1e-3, weightDecay: 0.1, modelId: 'H-Sg-H-Sg' }),
    );
  });

  it('names the malformed part', () => {
    const good = runDirName(benchmarkKey());
    expect(() => parseRunDirName(good.replace('_bs-128', '_batch-128'))).toThrow(/part "batch-128" should start with "bs-"/);
    expect(() => parseRunDirName(good.replace('lr-0#0001', 'lr-fast'))).toThrow(/lr-fast is not a number/);
    expect(() => parseRunDirName(good.replace('sch-cosine', 'sch-linear'))).toThrow(/scheduler must be one of/);
    expect(() => parseRunDirName(`${good}_date-Mar-26`)).toThrow(/expected 19 '_'-separated parts/);
  });
});
