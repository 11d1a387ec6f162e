import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDataset } from '../../tasks/dataset.ts';
import { settingDirPath, writeSettingDir } from '../../tasks/madDataDir.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { settingData } from './trainingRuntime.ts';

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
    // Mark the stored copy so reading it back is told apart from generating it again.
    dataset.train.inputs[0] = 15;
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
