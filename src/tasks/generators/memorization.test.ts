import { describe, expect, it } from 'vitest';
import { makeSetting } from '../settings.ts';
import { createTaskStream } from '../stream.ts';
import { IGNORE_INDEX, type TaskSetting } from '../types.ts';
import { buildFactTable } from './memorization.ts';

const M = (overrides: Partial<TaskSetting> = {}): TaskSetting =>
  makeSetting('memorization', { vocabSize: 256, seqLen: 32, numTrainExamples: 256, ...overrides });

/** key → value as seen in a stream's instances; throws if any key shows two values. */
function observedTable(setting: TaskSetting, counts: { train: number; test: number }): Map<number, number> {
  const stream = createTaskStream(setting);
  const table = new Map<number, number>();
  for (const split of ['train', 'test'] as const) {
    for (let n = 0; n < counts[split]; n++) {
      const { inputs, targets } = stream.next(split);
      for (let i = 0; i < inputs.length; i += 2) {
        const key = inputs[i];
        const value = targets[i + 1];
        if ((table.get(key) ?? value) !== value) throw new Error(`key ${key} maps to two values`);
        table.set(key, value);
      }
    }
  }
  return table;
}

describe('memorization', () => {
  it('lays out [key, insert] pairs with the value scored at the insert token', () => {
    const setting = M();
    const stream = createTaskStream(setting);
    const problems: string[] = [];
    for (let n = 0; n < 100; n++) {
      const { inputs, targets, roles } = stream.next(n % 2 === 0 ? 'train' : 'test');
      if (inputs.length !== 32 || targets.length !== 32 || roles.length !== 32) problems.push(`instance ${n}: length`);
      for (let i = 0; i < 32; i += 2) {
        const [key, insert, keyTarget, value] = [inputs[i], inputs[i + 1], targets[i], targets[i + 1]];
        if (roles[i] !== 'key' || roles[i + 1] !== 'insert') problems.push(`instance ${n} pair ${i / 2}: roles`);
        if (!(key >= 0 && key < 127) || insert !== 255) problems.push(`instance ${n} pair ${i / 2}: tokens ${key}, ${insert}`);
        if (keyTarget !== IGNORE_INDEX || !(value >= 127 && value < 255)) problems.push(`instance ${n} pair ${i / 2}: targets`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses one fixed table for every instance of both splits, built from Prng(seed) over V−1 ids', () => {
    const setting = M();
    const observed = observedTable(setting, { train: 256, test: 1280 });
    const table = buildFactTable(255, 12345);
    expect(observed.size).toBe(127); // 1536 × 16 draws over 127 keys reach every key
    for (const [key, value] of observed) expect(value).toBe(table.valueOfKey[key]);
    // The table is injective: different keys never share a value.
    expect(new Set(table.valueOfKey).size).toBe(127);
    expect([...table.keys].sort((a, b) => a - b)).toEqual(Array.from({ length: 127 }, (_, i) => i));
  });

  it('changes the table with the seed', () => {
    const a = buildFactTable(255, 12345).valueOfKey;
    const b = buildFactTable(255, 1).valueOfKey;
    expect(a).not.toEqual(b);
    expect(buildFactTable(255, 12345).valueOfKey).toEqual(a);
  });

  it('emits 2·⌊L/2⌋ tokens for odd L, as mad-lab does', () => {
    expect(createTaskStream(M({ seqLen: 33 })).next('train').inputs.length).toBe(32);
  });

  it('noise option: noise pairs are unscored and one guard pair is never noise', () => {
    const setting = M({ fracNoise: 1, noiseVocabSize: 8 });
    const stream = createTaskStream(setting);
    for (let n = 0; n < 50; n++) {
      const { inputs, targets, roles } = stream.next('test');
      expect(roles.filter((r) => r === 'key').length).toBe(1);
      roles.forEach((role, i) => {
        if (role !== 'noise') return;
        expect(inputs[i] >= 247 && inputs[i] < 255).toBe(true);
        expect(targets[i]).toBe(IGNORE_INDEX);
      });
    }
  });
});
