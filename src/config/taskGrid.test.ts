import { describe, expect, it } from 'vitest';
import { parseSettingName, settingName } from '../tasks/settings.ts';
import { createTaskStream, modelInputLength } from '../tasks/stream.ts';
import { TASK_NAMES, type TaskSetting } from '../tasks/types.ts';
import { TASK_GRIDS } from './taskGridFiles.ts';
import { enumerateSettings, parseTaskGrid } from './taskGrid.ts';

const allSettings = TASK_NAMES.flatMap((task) => enumerateSettings(TASK_GRIDS[task]));

describe('benchmark grid (configs/tasks/*.yml)', () => {
  it('enumerates 11, 14, 11, 6, 11 and 13 settings: 66 in all', () => {
    expect(TASK_NAMES.map((task) => enumerateSettings(TASK_GRIDS[task]).length)).toEqual([11, 14, 11, 6, 11, 13]);
    expect(allSettings.length).toBe(66);
    expect(new Set(allSettings.map(settingName)).size).toBe(66);
  });

  it("names settings like mad-lab's data directories", () => {
    const names = allSettings.map(settingName);
    for (const name of [
      't-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
      't-CR_vs-16_sl-1024_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
      't-NR_vs-32_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#2_nvs-16_ntc-0_s-12345',
      't-NR_vs-144_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#2_nvs-16_ntc-0_s-12345',
      't-NR_vs-32_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#8_nvs-16_ntc-0_s-12345',
      't-FR_vs-16_sl-128_ntr-800_nte-1280_km-3_vm-3_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
      't-M_vs-8192_sl-32_ntr-256_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
      't-C_vs-16_sl-256_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
      't-SC_vs-16_sl-256_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-16_s-12345',
      't-SC_vs-16_sl-256_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-96_s-12345',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('changes one key of the baseline at a time, baseline first', () => {
    for (const task of TASK_NAMES) {
      const grid = TASK_GRIDS[task];
      const [baseline, ...changed] = enumerateSettings(grid);
      expect(baseline).toEqual(grid.baseline);
      for (const setting of changed) {
        const differing = (Object.keys(setting) as (keyof TaskSetting)[]).filter((key) => setting[key] !== grid.baseline[key]);
        expect(differing.length).toBe(1);
      }
    }
  });

  it('fills unset keys with MADConfig defaults', () => {
    expect(TASK_GRIDS.memorization.baseline).toEqual({
      task: 'memorization',
      vocabSize: 256,
      seqLen: 32,
      numTrainExamples: 256,
      numTestExamples: 1280,
      fracNoise: 0,
      noiseVocabSize: 0,
      numTokensToCopy: 0,
      kMotifSize: 1,
      vMotifSize: 1,
      multiQuery: true,
      seed: 12345,
    });
  });

  it('every setting generates instances of modelInputLength tokens', () => {
    const wrong = allSettings.filter((setting) => {
      const stream = createTaskStream(setting);
      const length = modelInputLength(setting);
      return stream.next('train').inputs.length !== length || stream.next('test').targets.length !== length;
    });
    expect(wrong.map(settingName)).toEqual([]);
  });

  it('round-trips every name through parseSettingName', () => {
    for (const setting of allSettings) expect(parseSettingName(settingName(setting))).toEqual(setting);
  });
});

describe('parseTaskGrid', () => {
  const parse = (text: string): unknown => parseTaskGrid('compression', text);

  it('reads changes in file order', () => {
    const grid = parseTaskGrid('compression', 'baseline:\n  seq_len: 32\nchanges:\n  vocab_size: [32, 64]\n  multi_query: [false]\n');
    expect(grid.changes).toEqual([
      { key: 'vocabSize', values: [32, 64] },
      { key: 'multiQuery', values: [false] },
    ]);
    expect(enumerateSettings(grid).map((s) => [s.vocabSize, s.multiQuery])).toEqual([
      [16, true],
      [32, true],
      [64, true],
      [16, false],
    ]);
  });

  it('names the file and key of every mistake', () => {
    expect(() => parse('baseline:\n  vocab_sise: 16\n')).toThrow(/configs\/tasks\/compression\.yml: unknown key baseline\.vocab_sise/);
    expect(() => parse('baseline:\n  seq_len: 32\nchanges:\n  seq_len: [64, abc]\n')).toThrow(
      /compression\.yml: changes\.seq_len\[1\] must be an integer, got "abc"/,
    );
    expect(() => parse('baseline:\n  multi_query: 1\n')).toThrow(/baseline\.multi_query must be a boolean/);
    expect(() => parse('baseline:\n  frac_noise: high\n')).toThrow(/baseline\.frac_noise must be a number/);
    expect(() => parse('baseline:\n  seq_len: 32\nchanges:\n  seq_len: 64\n')).toThrow(/changes\.seq_len must be a non-empty list/);
    expect(() => parse('baseline:\n  seq_len: 32\nextras: 1\n')).toThrow(/unknown top-level key "extras"/);
    expect(() => parse('changes:\n  seq_len: [64]\n')).toThrow(/"baseline" must be a mapping/);
    expect(() => parse('baseline: [1\n')).toThrow(/compression\.yml: invalid YAML/);
    expect(() => parse('baseline:\n  vocab_size: 0\n')).toThrow(/compression\.yml: .*vocabSize must be an integer ≥ 1/);
  });
});
