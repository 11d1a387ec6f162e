import { describe, expect, it } from 'vitest';
import { makeSetting } from '../settings.ts';
import { createTaskStream } from '../stream.ts';
import { IGNORE_INDEX, type TaskSetting } from '../types.ts';

const SC = (overrides: Partial<TaskSetting> = {}): TaskSetting =>
  makeSetting('selective-copying', { vocabSize: 16, seqLen: 256, numTokensToCopy: 16, ...overrides });

describe('selective copying', () => {
  it.each([SC(), SC({ numTokensToCopy: 96, vocabSize: 32 }), SC({ seqLen: 1024, numTokensToCopy: 64 })])(
    'scores the data tokens in order at the last T positions (%#)',
    (setting) => {
      const { seqLen: L, numTokensToCopy: T, vocabSize: V } = setting;
      const stream = createTaskStream(setting);
      for (let n = 0; n < 100; n++) {
        const { inputs, targets, roles } = stream.next(n % 2 === 0 ? 'train' : 'test');
        expect(inputs.length).toBe(L);
        const scored = [...targets.keys()].filter((i) => targets[i] !== IGNORE_INDEX);
        expect(scored).toEqual(Array.from({ length: T }, (_, j) => L - T + j));
        const data = inputs.filter((_, i) => roles[i] === 'data');
        expect([...targets.subarray(L - T)]).toEqual([...data]);
        expect(data.every((t) => t >= 0 && t < V - 2)).toBe(true);
        // The last data token directly precedes the copy token; T blanks follow it.
        expect([roles[L - T - 2], roles[L - T - 1], inputs[L - T - 1]]).toEqual(['data', 'copy', V - 1]);
        expect(roles.slice(L - T).every((r) => r === 'blank')).toBe(true);
        expect(inputs.subarray(L - T).every((t) => t === V - 2)).toBe(true);
        expect(roles.filter((r) => r === 'blank').length).toBe(L - T - 1);
        expect(inputs.filter((_, i) => roles[i] === 'blank').every((t) => t === V - 2)).toBe(true);
      }
    },
  );

  it('spreads blanks uniformly over the T insertion points', () => {
    const setting = SC();
    const stream = createTaskStream(setting);
    const blanksBefore = new Array<number>(16).fill(0);
    const instances = 400;
    for (let n = 0; n < instances; n++) {
      const { roles } = stream.next('test');
      let dataIndex = 0;
      for (const role of roles) {
        if (role === 'data') dataIndex++;
        else if (role === 'blank' && dataIndex < 16) blanksBefore[dataIndex] = blanksBefore[dataIndex] + 1;
        else if (role === 'copy') break;
      }
    }
    const expected = (256 - 33) / 16;
    for (const count of blanksBefore) expect(Math.abs(count / instances / expected - 1)).toBeLessThan(0.05);
  });

  it('draws new blank positions for every instance', () => {
    const stream = createTaskStream(SC());
    const layouts = new Set<string>();
    for (let n = 0; n < 20; n++) layouts.add(stream.next('train').roles.join());
    expect(layouts.size).toBe(20);
  });

  it('needs 1 ≤ T and L > 2T + 1', () => {
    expect(() => createTaskStream(SC({ numTokensToCopy: 0 }))).toThrow(/numTokensToCopy must be ≥ 1/);
    expect(() => createTaskStream(SC({ numTokensToCopy: 128 }))).toThrow(/seqLen must exceed 2·numTokensToCopy \+ 1 = 257/);
  });
});
