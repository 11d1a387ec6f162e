import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLANNING_TARGET } from '../../config/kernelTarget.ts';
import { architectureFromLayers } from '../../model/architecture.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { SettingDataError, settingDirPath, writeSettingDir } from '../../tasks/madDataDir.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { DEFAULT_TRAINING } from '../../train/types.ts';
import { UsageError } from '../args.ts';
import { assertRunFits, limitsBeforeDevice, parseMemoryBudget, settingData } from './trainingRuntime.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('settingData', () => {
  it('reads a setting from a mad-lab data directory when it is there and generates it otherwise, saying which', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mad-data-'));
    const stored = makeSetting('compression', { seqLen: 8, numTrainExamples: 40, numTestExamples: 8 });
    const dataset = buildDataset(stored);
    // Mark the stored copy so reading it back is told apart from generating it again (compression's
    // targets are its inputs, so both change).
    dataset.train.inputs[0] = 15;
    dataset.train.targets[0] = 15;
    writeSettingDir(dir, dataset);
    const said: string[] = [];
    const load = settingData(dir, (line) => said.push(line));

    const read = await load(stored);
    expect(read.train.inputs[0]).toBe(15);
    expect(read.test.targets).toEqual(dataset.test.targets);
    const missing = makeSetting('compression', { seqLen: 8, numTrainExamples: 48, numTestExamples: 8 });
    const generated = await load(missing);
    expect(generated.train.inputs).toEqual(buildDataset(missing).train.inputs);
    expect(said).toEqual([`data: read ${settingDirPath(dir, stored)}`, `data: generated (no ${settingDirPath(dir, missing)})`]);
  });

  it('generates without a data path, silently', async () => {
    const said: string[] = [];
    const setting = makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 16, numTestExamples: 8 });
    expect((await settingData(undefined, (line) => said.push(line))(setting)).train.count).toBe(16);
    expect(said).toEqual([]);
  });
});

describe('settingData on data that would not train', () => {
  it('refuses tokens and targets outside the vocabulary, naming each, before anything trains on them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mad-data-'));
    const setting = makeSetting('memorization', { vocabSize: 16, seqLen: 8, numTrainExamples: 16, numTestExamples: 8 });
    const dataset = buildDataset(setting);
    dataset.train.inputs[0] = 2_000_000_000;
    dataset.train.inputs[2] = -7;
    dataset.test.targets[1] = 1_000_000;
    writeSettingDir(dir, dataset);
    const load = settingData(dir, () => undefined);
    const error = await load(setting).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SettingDataError);
    const path = settingDirPath(dir, setting);
    expect((error as SettingDataError).problems).toEqual([
      `${join(path, 'train', 'inputs.npy')}: token 2000000000 at row 0, position 0 is outside [0, 16)`,
      `${join(path, 'test', 'targets.npy')}: target 1000000 at row 0, position 1 is neither in [0, 16) nor -100`,
    ]);
  });
});

describe('--memory-budget', () => {
  it('takes plain bytes and binary or decimal units', () => {
    expect(parseMemoryBudget(undefined)).toBe(2 ** 30);
    expect(parseMemoryBudget('1073741824')).toBe(2 ** 30);
    expect(parseMemoryBudget('2GiB')).toBe(2 * 2 ** 30);
    expect(parseMemoryBudget('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemoryBudget('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseMemoryBudget('3GB')).toBe(3e9);
  });

  it.each(['', '0', '-1GiB', '2 gigs', '0x100', 'GiB', '1e9', '99999999TiB'])('refuses %j', (text) => {
    expect(() => parseMemoryBudget(text)).toThrow(new UsageError(`--memory-budget needs a size such as 2GiB, 512MiB or 1073741824 (bytes), got '${text}'`));
  });

  it('refuses a run over the budget with a usage error that names the figure and the limit', () => {
    const plan = { architecture: architectureFromLayers(['mlp']), setting: makeSetting('memorization'), training: DEFAULT_TRAINING };
    expect(assertRunFits(plan, limitsBeforeDevice(2 ** 30), 2 ** 30, PLANNING_TARGET).microBatches).toBeGreaterThanOrEqual(1);
    expect(() => assertRunFits(plan, limitsBeforeDevice(2 ** 20), 2 ** 20, PLANNING_TARGET)).toThrow(UsageError);
    expect(() => assertRunFits(plan, limitsBeforeDevice(2 ** 20), 2 ** 20, PLANNING_TARGET)).toThrow(/over the memory budget of 1\.0 MiB: .*--memory-budget/);
  });
});
