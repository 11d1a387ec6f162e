import { describe, expect, it } from 'vitest';
import { makeSetting } from '../settings.ts';
import { createTaskStream } from '../stream.ts';
import type { TaskSetting } from '../types.ts';

const C = (overrides: Partial<TaskSetting> = {}): TaskSetting =>
  makeSetting('compression', { vocabSize: 16, seqLen: 32, ...overrides });

describe('compression', () => {
  it('ends with the aggregation token and targets equal inputs', () => {
    const stream = createTaskStream(C());
    const seen = new Set<number>();
    const problems: string[] = [];
    for (let n = 0; n < 200; n++) {
      const { inputs, targets, roles } = stream.next(n < 100 ? 'train' : 'test');
      if (inputs.length !== 32 || targets === inputs || targets.some((t, i) => t !== inputs[i])) problems.push(`instance ${n}: targets`);
      if (inputs[31] !== 15 || roles[31] !== 'compress') problems.push(`instance ${n}: no aggregation token`);
      if (!roles.slice(0, 31).every((r) => r === 'data')) problems.push(`instance ${n}: roles`);
      inputs.subarray(0, 31).forEach((t) => seen.add(t));
    }
    expect(problems).toEqual([]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('noise option overwrites data with noise ids and keeps them as targets (mad-lab bug)', () => {
    const stream = createTaskStream(C({ fracNoise: 0.5, noiseVocabSize: 3 }));
    let noise = 0;
    const problems: string[] = [];
    for (let n = 0; n < 100; n++) {
      const { inputs, targets, roles } = stream.next('test');
      if (targets.some((t, i) => t !== inputs[i])) problems.push(`instance ${n}: targets differ from inputs`);
      roles.forEach((role, i) => {
        if (role === 'noise') noise++;
        const [low, high] = role === 'noise' ? [12, 15] : role === 'data' ? [0, 12] : [15, 16];
        const token = inputs[i];
        if (token < low || token >= high) problems.push(`instance ${n}: ${role} token ${token}`);
      });
    }
    expect(problems).toEqual([]);
    expect(noise / (100 * 31)).toBeGreaterThan(0.45);
    expect(noise / (100 * 31)).toBeLessThan(0.55);
  });
});
