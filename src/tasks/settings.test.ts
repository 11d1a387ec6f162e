import { describe, expect, it } from 'vitest';
import { SIZE_LIMITS, SizeLimitError } from '../config/sizePolicy.ts';
import { MAD_DEFAULTS, makeSetting, parseSettingName, settingName } from './settings.ts';
import { createTaskStream } from './stream.ts';
import type { TaskSetting } from './types.ts';

describe('MAD_DEFAULTS', () => {
  it('matches MADConfig', () => {
    expect(MAD_DEFAULTS).toEqual({
      vocabSize: 16,
      seqLen: 128,
      numTrainExamples: 12800,
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
});

describe('settingName', () => {
  it("writes mad-lab's directory names", () => {
    expect(settingName(makeSetting('noisy-in-context-recall', { vocabSize: 32, noiseVocabSize: 16, fracNoise: 0.2 }))).toBe(
      't-NR_vs-32_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#2_nvs-16_ntc-0_s-12345',
    );
    // frac_noise is a float field: Python prints the default 0.0.
    expect(settingName(makeSetting('in-context-recall'))).toBe(
      't-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345',
    );
  });

  it('writes mq-1 for single-query too (mad-lab quirk)', () => {
    expect(settingName(makeSetting('in-context-recall', { multiQuery: false }))).toContain('_mq-1_');
  });

  it('formats frac_noise as Python repr', () => {
    const name = (fracNoise: number): string => settingName(makeSetting('compression', { fracNoise }));
    expect(name(1)).toContain('_fn-1#0_');
    expect(name(0.25)).toContain('_fn-0#25_');
    expect(name(0.00005)).toContain('_fn-5e-05_');
    expect(name(0.0001)).toContain('_fn-0#0001_');
  });
});

describe('parseSettingName', () => {
  it('round-trips', () => {
    const setting = makeSetting('selective-copying', { vocabSize: 32, seqLen: 512, numTokensToCopy: 64, seed: 7 });
    expect(parseSettingName(settingName(setting))).toEqual(setting);
    const noisy = makeSetting('noisy-in-context-recall', { fracNoise: 0.00005, noiseVocabSize: 16, vocabSize: 32 });
    expect(parseSettingName(settingName(noisy))).toEqual(noisy);
  });

  it('reads fn-0 and mq-0 although mad-lab never writes them', () => {
    const parsed = parseSettingName('t-C_vs-16_sl-32_ntr-12800_nte-1280_km-1_vm-1_mq-0_fn-0_nvs-0_ntc-0_s-12345');
    expect(parsed.fracNoise).toBe(0);
    expect(parsed.multiQuery).toBe(false);
  });

  it('names the malformed part', () => {
    const good = 't-CR_vs-16_sl-128_ntr-12800_nte-1280_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_s-12345';
    expect(() => parseSettingName(good.replace('vs-16', 'vs-abc'))).toThrow(/"vs-abc" \(vocab_size\)/);
    expect(() => parseSettingName(good.replace('t-CR', 't-XX'))).toThrow(/"t-XX" \(task\)/);
    expect(() => parseSettingName(good.replace('mq-1', 'mq-2'))).toThrow(/"mq-2" \(multi_query\)/);
    expect(() => parseSettingName(good.replace('fn-0#0', 'fn-x'))).toThrow(/"fn-x" \(frac_noise\)/);
    expect(() => parseSettingName(good.replace('sl-128', 'seq-128'))).toThrow(/"seq-128" should start with "sl-"/);
    expect(() => parseSettingName(good.replace('_s-12345', ''))).toThrow(/expected 12 parts/);
    expect(() => parseSettingName(good.replace('fn-0#0', 'fn-1#5'))).toThrow(/fracNoise must lie in \[0, 1\]/);
  });
});

describe('makeSetting', () => {
  it('fills defaults and rejects bad values', () => {
    expect(makeSetting('memorization', { vocabSize: 256 })).toMatchObject({ task: 'memorization', vocabSize: 256, seqLen: 128 });
    expect(() => makeSetting('compression', { vocabSize: 0 })).toThrow(/vocabSize must be an integer ≥ 1/);
    expect(() => makeSetting('compression', { seqLen: 12.5 })).toThrow(/seqLen/);
    expect(() => makeSetting('compression', { fracNoise: -0.1 })).toThrow(/fracNoise/);
  });

  it("refuses sizes over the size policy's caps with its structured problems, before any generator allocates", () => {
    const error = (() => {
      try {
        makeSetting('memorization', { vocabSize: 2_147_483_648, numTrainExamples: 10_000_000 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SizeLimitError);
    expect((error as SizeLimitError).problems.map((p) => [p.path, p.key, p.limit])).toEqual([
      ['setting', 'vocabSize', SIZE_LIMITS.vocabSize.limit],
      ['setting', 'numTrainExamples', SIZE_LIMITS.numTrainExamples.limit],
    ]);
    expect((error as Error).message).toMatch(/^Vocabulary size 2,147,483,648 is over the limit of 131,072 \(.*\): use a smaller vocabulary\. Training examples 10,000,000 /);
    // Whoever calls a generator directly meets the same check (a vocabulary-sized table would come first).
    const raw: TaskSetting = { ...MAD_DEFAULTS, task: 'memorization', vocabSize: 100_000_000 };
    expect(() => createTaskStream(raw)).toThrow(SizeLimitError);
    expect(() => parseSettingName(settingName({ ...MAD_DEFAULTS, task: 'compression', seqLen: 1_000_000 }))).toThrow(/Sequence length 1,000,000 is over the limit of 16,384/);
    // The caps themselves are allowed.
    expect(makeSetting('memorization', { vocabSize: SIZE_LIMITS.vocabSize.limit }).vocabSize).toBe(131_072);
  });
});
