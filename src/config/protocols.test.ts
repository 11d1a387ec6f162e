import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingName } from '../tasks/settings.ts';
import { TASK_NAMES } from '../tasks/types.ts';
import { TASK_GRIDS } from './taskGridFiles.ts';
import { PROTOCOLS } from './protocolFiles.ts';
import { loadProtocol, loadProtocolFile } from './protocolDisk.ts';
import { PROTOCOL_NAMES, parseProtocol, protocolSettings } from './protocols.ts';
import { enumerateSettings } from './taskGrid.ts';

const parse = (text: string) => parseProtocol('test', 'test.yml', text, TASK_GRIDS);

const MINIMAL = [
  'description: two settings',
  'compute_relative_to_full: 0.5',
  'epochs: 3',
  'lr: [0.001, 0.0001]',
  'weight_decay: [0.0, 0.1]',
  'tasks:',
  '  compression: { settings: [baseline, { seq_len: 64, vocab_size: 32 }] }',
].join('\n');

describe('configs/protocols', () => {
  it('full is mad-lab’s benchmark: the 66 grid settings, 200 epochs, 3 lr × 2 weight decays in loop order', () => {
    const full = PROTOCOLS.full;
    expect(protocolSettings(full).map(settingName)).toEqual(TASK_NAMES.flatMap((t) => enumerateSettings(TASK_GRIDS[t])).map(settingName));
    expect(full.tasks.every((t) => t.epochs === 200)).toBe(true);
    expect(full.sweep).toEqual([
      { lr: 1e-4, weightDecay: 0 },
      { lr: 1e-4, weightDecay: 0.1 },
      { lr: 5e-4, weightDecay: 0 },
      { lr: 5e-4, weightDecay: 0.1 },
      { lr: 1e-3, weightDecay: 0 },
      { lr: 1e-3, weightDecay: 0.1 },
    ]);
    expect(full.earlyStop).toBe(false);
  });

  it('quick and standard score all six tasks on settings of the grid', () => {
    const gridNames = new Set(TASK_NAMES.flatMap((t) => enumerateSettings(TASK_GRIDS[t])).map(settingName));
    for (const name of ['quick', 'standard'] as const) {
      expect(PROTOCOLS[name].tasks.map((t) => t.task)).toEqual([...TASK_NAMES]);
      for (const setting of protocolSettings(PROTOCOLS[name])) expect(gridNames.has(settingName(setting))).toBe(true);
    }
  });

  it('reads the same profiles from disk as the bundle', () => {
    for (const name of PROTOCOL_NAMES) expect(loadProtocol(name)).toEqual(PROTOCOLS[name]);
  });
});

describe('parseProtocol', () => {
  it('applies setting keys to the baseline and orders the sweep lr-major', () => {
    const profile = parse(MINIMAL);
    expect(profile.tasks).toHaveLength(1);
    const [baseline, changed] = profile.tasks[0]!.settings;
    expect(baseline).toEqual(TASK_GRIDS.compression.baseline);
    expect(changed).toEqual({ ...TASK_GRIDS.compression.baseline, seqLen: 64, vocabSize: 32 });
    expect(profile.sweep.map((p) => [p.lr, p.weightDecay])).toEqual([
      [1e-3, 0],
      [1e-3, 0.1],
      [1e-4, 0],
      [1e-4, 0.1],
    ]);
    expect(profile.stopPatience).toBe(20);
  });

  it('names the key at fault', () => {
    expect(() => parse(MINIMAL.replace('epochs: 3', 'epochs: 0'))).toThrow('test.yml: epochs must be a positive integer, got 0');
    expect(() => parse(`${MINIMAL}\nwarmup: 3`)).toThrow(/unknown key "warmup"/);
    expect(() => parse(MINIMAL.replace('lr: [0.001, 0.0001]', 'lr: []'))).toThrow(/lr must be a non-empty list/);
    expect(() => parse(MINIMAL.replace('compression:', 'compresion:'))).toThrow(/unknown task "compresion"/);
    expect(() => parse(MINIMAL.replace('seq_len: 64', 'seq_length: 64'))).toThrow(/unknown key tasks\.compression\.settings\[1\]\.seq_length/);
    expect(() => parse(MINIMAL.replace('{ seq_len: 64, vocab_size: 32 }', 'baseline'))).toThrow(/lists t-C_vs-16_sl-32.* twice/);
    expect(() => parse(MINIMAL.replace('compute_relative_to_full: 0.5', 'compute_relative_to_full: 2'))).toThrow(/compute_relative_to_full must be a number in \(0, 1\]/);
    expect(() => parse(MINIMAL.replace('[baseline,', '[{ vocab_size: 1 },'))).toThrow(/tasks\.compression: /);
  });

  it('loads a profile file from anywhere, named after the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mad-protocol-'));
    try {
      writeFileSync(join(dir, 'tiny.yml'), MINIMAL);
      expect(loadProtocolFile(join(dir, 'tiny.yml')).name).toBe('tiny');
      expect(() => loadProtocolFile(join(dir, 'missing.yml'))).toThrow(/Cannot read the protocol profile .*missing\.yml: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
