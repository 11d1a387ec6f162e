import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { computeMadScores } from '../train/madScore.ts';
import { runDirName, type RunKey } from '../train/runKey.ts';
import { architectureOfModelId, importMadlabLogFiles, importMadlabLogs, isResultsCsvPath, parseResultsCsv, runsByModel } from './madlabImport.ts';
import { importMadlabLogsFromDisk } from './madlabImportDisk.ts';

const HEADER = 'train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss';
/** What pandas' to_csv(index=False) writes for one row. */
const csv = (values: string): string => `${HEADER}\n${values}\n`;

const key = (task: 'in-context-recall' | 'memorization', lr: number, weightDecay: number, modelId = 'mA-Sg-mA-Sg', overrides = {}): RunKey => ({
  setting: makeSetting(task, task === 'memorization' ? { vocabSize: 256, seqLen: 32, numTrainExamples: 256, ...overrides } : overrides),
  batchSize: 128,
  epochs: 200,
  lr,
  weightDecay,
  optimizer: 'adamw',
  scheduler: 'cosine',
  modelId,
});

describe('results.csv', () => {
  it("reads mad-lab's one-row file, with pandas' empty field and Python's spellings of NaN and inf", () => {
    expect(parseResultsCsv(csv('0.98,1.05,0.04,0.91,1.2,0.15'))).toEqual({ train_acc: 0.98, train_ppl: 1.05, train_loss: 0.04, test_acc: 0.91, test_ppl: 1.2, test_loss: 0.15 });
    const diverged = parseResultsCsv(csv('0.1,,nan,0.2,inf,-inf').replace(/\n/g, '\r\n'));
    expect(diverged.train_ppl).toBeNaN();
    expect(diverged.train_loss).toBeNaN();
    expect(diverged.test_ppl).toBe(Infinity);
    expect(diverged.test_loss).toBe(-Infinity);
    // Columns are matched by name.
    expect(parseResultsCsv('test_acc,train_acc,train_ppl,train_loss,test_ppl,test_loss\n0.5,0.25,1,2,3,4\n').test_acc).toBe(0.5);
  });

  it('says what is wrong with a malformed file', () => {
    expect(() => parseResultsCsv('')).toThrow('the file is empty');
    expect(() => parseResultsCsv('acc,ppl\n1,2\n')).toThrow(/lacks mad-lab's columns train_acc, train_ppl/);
    expect(() => parseResultsCsv(`${HEADER}\n`)).toThrow('expected one row of results under the header, found 0');
    expect(() => parseResultsCsv(csv('1,2,3'))).toThrow('the row has 3 values for 6 columns');
    expect(() => parseResultsCsv(csv('1,2,3,abc,5,6'))).toThrow('test_acc is "abc", not a number');
  });
});

describe('mad-lab logs import', () => {
  const root = mkdtempSync(join(tmpdir(), 'mad-logs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const runs: [RunKey, string][] = [
    [key('in-context-recall', 1e-4, 0), '0.9,1.1,0.1,0.70,1.3,0.2'],
    [key('in-context-recall', 5e-4, 0.1), '0.9,1.1,0.1,0.80,1.3,0.2'],
    [key('in-context-recall', 1e-3, 0), '0.9,,,0.95,,'], // diverged: dropped by the MAD score
    [key('in-context-recall', 1e-4, 0, 'mA-Sg-mA-Sg', { vocabSize: 32 }), '0.9,1.1,0.1,0.50,1.3,0.2'],
    [key('memorization', 1e-3, 0.1), '0.9,1.1,0.1,0.60,1.3,0.2'],
    [key('memorization', 1e-3, 0.1, 'Mb-Mb-Mb-Mb'), '0.9,1.1,0.1,0.40,1.3,0.2'],
  ];
  const write = (relative: string, text: string): void => {
    mkdirSync(join(root, relative, '..'), { recursive: true });
    writeFileSync(join(root, relative), text);
  };
  for (const [runKey, values] of runs) {
    const dir = runDirName(runKey);
    write(`${dir}/results.csv`, csv(values));
    write(`${dir}/logs/metrics.csv`, 'epoch,step\n0,1\n');
    write(`${dir}/checkpoints/best.ckpt`, 'binary');
  }
  write('t-CR_vs-16_broken/results.csv', csv('1,1,1,1,1,1'));
  write(`${runDirName(key('memorization', 1e-4, 0))}/results.csv`, 'garbage');
  write(`zz-copy/${runDirName(runs[0]![0])}/results.csv`, csv('0.1,1.1,0.1,0.1,1.1,0.1'));
  write(`${runDirName(key('memorization', 1e-3, 0))}/results.csv`, csv('0.9,1.1,0.1,7,0.5,0.2'));
  mkdirSync(join(root, runDirName(key('memorization', 5e-4, 0))));
  symlinkSync(join(root, 'nowhere.csv'), join(root, runDirName(key('memorization', 5e-4, 0)), 'results.csv'));

  it('imports every run from disk, warns about each file it skips, and scores the runs as mad-lab does', () => {
    const imported = importMadlabLogsFromDisk(root);
    expect(imported.runs).toHaveLength(runs.length);
    expect(imported.warnings.map((w) => w.path).sort()).toEqual(
      [
        `${runDirName(key('memorization', 1e-4, 0))}/results.csv`,
        `${runDirName(key('memorization', 5e-4, 0))}/results.csv`,
        `${runDirName(key('memorization', 1e-3, 0))}/results.csv`,
        `zz-copy/${runDirName(runs[0]![0])}/results.csv`,
        't-CR_vs-16_broken/results.csv',
      ].sort(),
    );
    const problems = Object.fromEntries(imported.warnings.map((w) => [w.path.split('/')[0], w.problem]));
    expect(problems['t-CR_vs-16_broken']).toMatch(/^Malformed run directory name .*; skipped\.$/);
    expect(problems['zz-copy']).toMatch(/already imported from .*; skipped this copy\.$/);
    expect(problems[runDirName(key('memorization', 1e-4, 0))]).toMatch(/lacks mad-lab's columns/);
    expect(problems[runDirName(key('memorization', 5e-4, 0))]).toMatch(/could not be read/);
    expect(problems[runDirName(key('memorization', 1e-3, 0))]).toBe(
      'impossible results (test_acc 7 is not an accuracy in [0, 1]; test_ppl 0.5 is below 1, the least a perplexity can be); skipped.',
    );

    const byModel = runsByModel(imported.runs);
    expect([...byModel.keys()].sort()).toEqual(['Mb-Mb-Mb-Mb', 'mA-Sg-mA-Sg']);
    const scores = computeMadScores(byModel.get('mA-Sg-mA-Sg')!);
    expect(scores.dropped).toEqual([runDirName(runs[2]![0])]);
    expect(scores.tasks['in-context-recall']!.score).toBeCloseTo((0.8 + 0.5) / 2, 12);
    expect(scores.tasks.memorization!.score).toBe(0.6);
  });

  it('reads the same runs from a browser directory picker’s relative paths, reading only results.csv files', () => {
    const files = runs.map(([runKey, values]) => ({ path: `logs\\${runDirName(runKey)}\\results.csv`, text: csv(values) }));
    const imported = importMadlabLogs([...files, { path: 'logs/x/logs/metrics.csv', text: 'ignored' }, { path: 'results.csv', text: csv('1,1,1,1,1,1') }]);
    expect(imported.runs.map((r) => r.key)).toEqual(runs.map(([k]) => k));
    expect(imported.warnings).toEqual([{ path: 'results.csv', problem: 'results.csv must sit in its run folder (<logs>/<run-dir>/results.csv); skipped.' }]);
    expect(isResultsCsvPath('a/b/checkpoints/best.ckpt')).toBe(false);
  });

  it('reads picked File objects, only the results.csv ones, and turns a failed read into a warning', async () => {
    const picked = (path: string, text: string | Error) => ({
      webkitRelativePath: path,
      name: path.split('/').at(-1)!,
      text: () => (text instanceof Error ? Promise.reject(text) : Promise.resolve(text)),
    });
    const big = { webkitRelativePath: 'logs/x/checkpoints/best.ckpt', name: 'best.ckpt', text: () => Promise.reject(new Error('must not be read')) };
    const imported = await importMadlabLogFiles([
      picked(`logs/${runDirName(runs[0]![0])}/results.csv`, csv(runs[0]![1])),
      picked(`logs/${runDirName(runs[1]![0])}/results.csv`, new Error('NotReadableError')),
      big,
    ]);
    expect(imported.runs.map((r) => r.key)).toEqual([runs[0]![0]]);
    expect(imported.warnings).toEqual([{ path: `logs/${runDirName(runs[1]![0])}/results.csv`, problem: 'the file could not be read (NotReadableError); skipped.' }]);
  });

  it('refuses a logs folder that does not exist, naming it', () => {
    expect(() => importMadlabLogsFromDisk(join(root, 'nowhere'))).toThrow(/Cannot read the mad-lab logs folder .*nowhere/);
  });

  it('maps a benchmark.py model id back to its architecture when every part is a registry shorthand', () => {
    expect(architectureOfModelId('mH-Sg-mA-Sg')).toEqual(architectureFromLayers(['mh-hyena', 'swiglu', 'mh-attention', 'swiglu']));
    expect(architectureOfModelId('mH-custom')).toBeNull();
  });
});
