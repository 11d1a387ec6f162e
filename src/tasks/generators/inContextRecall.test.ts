import { describe, expect, it } from 'vitest';
import { makeSetting } from '../settings.ts';
import { createTaskStream, type Split } from '../stream.ts';
import { IGNORE_INDEX, type TaskInstance, type TaskName, type TaskSetting } from '../types.ts';

function draw(setting: TaskSetting, split: Split, count: number): TaskInstance[] {
  const stream = createTaskStream(setting);
  return Array.from({ length: count }, () => stream.next(split));
}

function meanScored(instances: readonly TaskInstance[]): number {
  let scored = 0;
  for (const { targets } of instances) for (const t of targets) if (t !== IGNORE_INDEX) scored++;
  return scored / instances.length;
}

/** Token id ranges of the recall layout (docs/protocol.md §1.1). */
function layout(s: TaskSetting): { numKeys: number; kvVocab: number } {
  const kvVocab = (s.multiQuery ? s.vocabSize : s.vocabSize - 1) - s.noiseVocabSize;
  return { numKeys: Math.floor(kvVocab / 2), kvVocab };
}

/**
 * Replays a multi-query instance and lists every deviation from docs/protocol.md §1.1: roles and token
 * ranges per slot, one value per key, and (test) scoring exactly the repeated keys' values.
 */
function multiQueryViolations(s: TaskSetting, { inputs, targets, roles }: TaskInstance, isTraining: boolean): string[] {
  const problems: string[] = [];
  const { numKeys, kvVocab } = layout(s);
  const expectedLength = s.seqLen - 1;
  if (inputs.length !== expectedLength || targets.length !== expectedLength || roles.length !== expectedLength) {
    return [`lengths ${inputs.length}/${targets.length}/${roles.length}, expected ${expectedLength}`];
  }
  const valueOfKey = new Map<number, number>();
  for (let i = 0; i < expectedLength - 1; i += 2) {
    const [first, second] = [inputs[i], inputs[i + 1]];
    if (roles[i] === 'noise' || roles[i + 1] === 'noise') {
      if (roles[i] !== 'noise' || roles[i + 1] !== 'noise') problems.push(`slot ${i / 2}: half noise`);
      if ([first, second].some((t) => t < kvVocab || t >= kvVocab + s.noiseVocabSize)) problems.push(`slot ${i / 2}: noise id out of range`);
      if (!isTraining && (targets[i] !== IGNORE_INDEX || targets[i + 1] !== IGNORE_INDEX)) problems.push(`slot ${i / 2}: noise scored`);
      continue;
    }
    if (roles[i] !== 'key' || roles[i + 1] !== 'value') problems.push(`slot ${i / 2}: roles ${roles[i]}/${roles[i + 1]}`);
    if (first < 0 || first >= numKeys) problems.push(`slot ${i / 2}: key ${first} out of range`);
    if (second < numKeys || second >= kvVocab) problems.push(`slot ${i / 2}: value ${second} out of range`);
    const remembered = valueOfKey.get(first);
    if (remembered !== undefined && remembered !== second) problems.push(`slot ${i / 2}: key ${first} changed value`);
    // The target at a key's position is its value: scored at test only when the key is repeated.
    const expectedTarget = isTraining || remembered !== undefined ? second : IGNORE_INDEX;
    if (targets[i] !== expectedTarget) problems.push(`slot ${i / 2}: key target ${targets[i]}, expected ${expectedTarget}`);
    const nextToken = i + 2 < expectedLength ? (inputs[i + 2]) : undefined;
    const expectedValueTarget = isTraining ? nextToken : IGNORE_INDEX;
    if (expectedValueTarget !== undefined && targets[i + 1] !== expectedValueTarget) problems.push(`slot ${i / 2}: value target scored`);
    valueOfKey.set(first, second);
  }
  const probe = expectedLength - 1;
  const probeValue = valueOfKey.get(inputs[probe]);
  if (roles[probe] !== 'key') problems.push(`probe role ${roles[probe]}`);
  if (probeValue === undefined) problems.push('probe key never presented');
  if (targets[probe] !== probeValue) problems.push(`probe target ${targets[probe]}, expected ${probeValue}`);
  return problems;
}

const CR = (overrides: Partial<TaskSetting> = {}): TaskSetting => makeSetting('in-context-recall', overrides);
const NR = (overrides: Partial<TaskSetting> = {}): TaskSetting =>
  makeSetting('noisy-in-context-recall', { vocabSize: 32, noiseVocabSize: 16, fracNoise: 0.2, ...overrides });

describe('in-context recall, multi-query (benchmark)', () => {
  it.each<[TaskName, TaskSetting]>([
    ['in-context-recall', CR()],
    ['in-context-recall', CR({ vocabSize: 128, seqLen: 256 })],
    ['noisy-in-context-recall', NR()],
    ['noisy-in-context-recall', NR({ fracNoise: 0.8, vocabSize: 48 })],
  ])('%s test instances score exactly the repeated keys (%#)', (_, setting) => {
    const problems = draw(setting, 'test', 300).flatMap((instance) => multiQueryViolations(setting, instance, false));
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it.each([CR(), NR({ fracNoise: 0.6 })])('training targets are the full next-token sequence (%#)', (setting) => {
    const instances = draw(setting, 'train', 200);
    const problems = instances.flatMap((instance) => multiQueryViolations(setting, instance, true));
    expect(problems.slice(0, 5)).toEqual([]);
    for (const { targets } of instances) expect(targets.includes(IGNORE_INDEX)).toBe(false);
  });

  it('V=16 uses keys 0–7 and values 8–15 with no special token', () => {
    const tokens = new Set<number>();
    for (const { inputs, roles } of draw(CR(), 'test', 50)) {
      inputs.forEach((t, i) => tokens.add(roles[i] === 'key' ? t : t + 100));
    }
    expect([...tokens].filter((t) => t < 100).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...tokens].filter((t) => t >= 100).sort((a, b) => a - b)).toEqual([108, 109, 110, 111, 112, 113, 114, 115]);
  });

  it('noise slots occur with probability frac_noise outside the guard slot', () => {
    const setting = NR({ fracNoise: 0.4 });
    const instances = draw(setting, 'test', 1000);
    let noiseSlots = 0;
    for (const { roles } of instances) for (let i = 0; i < roles.length - 1; i += 2) if (roles[i] === 'noise') noiseSlots++;
    const slotsPerInstance = setting.seqLen / 2 - 1;
    // The guard slot (1 of L/2, drawn uniformly) can never be noise.
    const expectedShare = 0.4 * (1 - 1 / (setting.seqLen / 2));
    expect(Math.abs(noiseSlots / (instances.length * slotsPerInstance) - expectedShare)).toBeLessThan(0.01);
  });

  // Spec §1.1–§1.2: mean scored positions per test instance at L = 128.
  it.each<[string, TaskSetting, number, number]>([
    ['CR V=16', CR(), 56, 2000],
    ['CR V=128', CR({ vocabSize: 128 }), 24, 2000],
    ['NR frac 0.2', NR(), 43, 2000],
    ['NR frac 0.8', NR({ fracNoise: 0.8 }), 8, 5000],
  ])('%s scores about %d positions per test instance (within 3 %)', (_, setting, figure, count) => {
    const mean = meanScored(draw(setting, 'test', count));
    expect(Math.abs(mean / figure - 1)).toBeLessThan(0.03);
  });
});

describe('in-context recall, single-query (CLI option)', () => {
  const setting = CR({ multiQuery: false, vocabSize: 17 });

  it('ends with copy prefix and probe key, scoring only the probe value', () => {
    const { numKeys, kvVocab } = layout(setting);
    for (const { inputs, targets, roles } of draw(setting, 'test', 200)) {
      expect(inputs.length).toBe(setting.seqLen);
      expect([inputs[setting.seqLen - 2], roles[setting.seqLen - 2]]).toEqual([16, 'copy']);
      expect(roles[setting.seqLen - 1]).toBe('key');
      const scored = [...targets.keys()].filter((i) => targets[i] !== IGNORE_INDEX);
      expect(scored).toEqual([setting.seqLen - 1]);
      const probeKey = inputs[setting.seqLen - 1];
      const firstIndex = inputs.findIndex((t, i) => roles[i] === 'key' && t === probeKey);
      expect(firstIndex).toBeLessThan(setting.seqLen - 1);
      expect(targets[setting.seqLen - 1]).toBe(inputs[firstIndex + 1]);
      const keyOrValueTokens = inputs.filter((_, i) => roles[i] === 'key' || roles[i] === 'value');
      expect(keyOrValueTokens.every((t) => t >= 0 && t < kvVocab)).toBe(true);
      expect(inputs.filter((_, i) => roles[i] === 'key').every((t) => t < numKeys)).toBe(true);
    }
  });

  it('trains on every next token', () => {
    for (const { inputs, targets } of draw(setting, 'train', 50)) {
      expect(targets.subarray(0, setting.seqLen - 1)).toEqual(inputs.subarray(1));
      expect(targets.includes(IGNORE_INDEX)).toBe(false);
    }
  });

  it('keeps noise ids below the copy prefix', () => {
    const noisy = NR({ multiQuery: false, vocabSize: 33 });
    for (const { inputs, roles } of draw(noisy, 'test', 100)) {
      const noise = inputs.filter((_, i) => roles[i] === 'noise');
      expect(noise.every((t) => t >= 16 && t < 32)).toBe(true);
    }
  });
});

describe('in-context recall settings checks', () => {
  it('rejects settings the layout cannot serve', () => {
    expect(() => createTaskStream(CR({ seqLen: 127 }))).toThrow(/seqLen must be even/);
    expect(() => createTaskStream(NR({ noiseVocabSize: 0 }))).toThrow(/noiseVocabSize > 0/);
    expect(() => createTaskStream(NR({ fracNoise: 1 }))).toThrow(/fracNoise must be < 1/);
    expect(() => createTaskStream(NR({ vocabSize: 17 }))).toThrow(/no key\/value ids/);
  });
});
