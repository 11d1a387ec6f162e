import { describe, expect, it } from 'vitest';
import { makeSetting } from './settings.ts';
import { createTaskStream, modelInputLength } from './stream.ts';
import { TASK_NAMES, type TaskName, type TaskSetting, type TokenRole } from './types.ts';

/** A small valid setting of each task. */
const SMALL: Record<TaskName, TaskSetting> = {
  'in-context-recall': makeSetting('in-context-recall'),
  'noisy-in-context-recall': makeSetting('noisy-in-context-recall', { vocabSize: 32, noiseVocabSize: 16, fracNoise: 0.2 }),
  'fuzzy-in-context-recall': makeSetting('fuzzy-in-context-recall', { kMotifSize: 3, vMotifSize: 3 }),
  memorization: makeSetting('memorization', { vocabSize: 256, seqLen: 32 }),
  compression: makeSetting('compression', { seqLen: 32 }),
  'selective-copying': makeSetting('selective-copying', { seqLen: 256, numTokensToCopy: 16 }),
};

/** The roles each task's benchmark setting uses. */
const ROLES: Record<TaskName, readonly TokenRole[]> = {
  'in-context-recall': ['key', 'value'],
  'noisy-in-context-recall': ['key', 'value', 'noise'],
  'fuzzy-in-context-recall': ['pad', 'key', 'value'],
  memorization: ['key', 'insert'],
  compression: ['data', 'compress'],
  'selective-copying': ['data', 'blank', 'copy'],
};

function drawBytes(setting: TaskSetting, splits: readonly ('train' | 'test')[]): number[] {
  const stream = createTaskStream(setting);
  return splits.flatMap((split) => {
    const { inputs, targets } = stream.next(split);
    return [...inputs, ...targets];
  });
}

describe('createTaskStream', () => {
  it.each(TASK_NAMES)('%s: same seed gives identical data, another seed different data', (task) => {
    const setting = SMALL[task];
    const splits = ['train', 'train', 'train', 'test', 'test'] as const;
    expect(drawBytes(setting, splits)).toEqual(drawBytes(setting, splits));
    expect(drawBytes({ ...setting, seed: setting.seed + 1 }, splits)).not.toEqual(drawBytes(setting, splits));
  });

  it.each(TASK_NAMES)('%s: instances have modelInputLength tokens and a role per input', (task) => {
    const setting = SMALL[task];
    const stream = createTaskStream(setting);
    const rolesSeen = new Set<TokenRole | undefined>();
    for (const split of ['train', 'test', 'train', 'test'] as const) {
      const { inputs, targets, roles } = stream.next(split);
      expect([inputs.length, targets.length, roles.length]).toEqual(Array(3).fill(modelInputLength(setting)));
      for (const role of [...roles]) rolesSeen.add(role); // spreading turns holes into undefined
    }
    expect([...rolesSeen].sort()).toEqual([...ROLES[task]].sort());
  });

  it('test draws continue the stream that training used', () => {
    const setting = SMALL['in-context-recall'];
    const afterTraining = createTaskStream(setting);
    for (let i = 0; i < 3; i++) afterTraining.next('train');
    const fresh = createTaskStream(setting);
    expect([...afterTraining.next('test').inputs]).not.toEqual([...fresh.next('test').inputs]);
  });

  it('train and test differ only in the targets for the same random draws', () => {
    const setting = SMALL['in-context-recall'];
    const train = createTaskStream(setting).next('train');
    const test = createTaskStream(setting).next('test');
    expect(test.inputs).toEqual(train.inputs);
    expect(test.targets).not.toEqual(train.targets);
  });
});

describe('modelInputLength', () => {
  it('is L−1 for multi-query in-context and noisy recall, L otherwise', () => {
    expect(modelInputLength(SMALL['in-context-recall'])).toBe(127);
    expect(modelInputLength(SMALL['noisy-in-context-recall'])).toBe(127);
    expect(modelInputLength({ ...SMALL['in-context-recall'], multiQuery: false })).toBe(128);
    expect(modelInputLength(SMALL['fuzzy-in-context-recall'])).toBe(128);
    expect(modelInputLength(SMALL.memorization)).toBe(32);
    expect(modelInputLength(SMALL.compression)).toBe(32);
    expect(modelInputLength(SMALL['selective-copying'])).toBe(256);
  });
});
