import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { architectureFromLayers } from '../model/architecture.ts';
import { makeSetting } from '../tasks/settings.ts';
import { FileResultsStore, formatResultsCsv, parseResultsCsv } from './fileResultsStore.ts';
import { runDirNameOf } from './runKey.ts';
import { DEFAULT_TRAINING, type RunPlan, type RunResult } from './types.ts';

const plan: RunPlan = {
  architecture: architectureFromLayers(['hyena', 'swiglu']),
  setting: makeSetting('compression', { seqLen: 32 }),
  training: DEFAULT_TRAINING,
};
const result: RunResult = {
  status: 'completed',
  bestEpoch: 0,
  row: { train_acc: 0.5, train_ppl: 4, train_loss: 1.25, test_acc: 0.25, test_ppl: 1.1, test_loss: 1e-5 },
  epochs: [
    {
      epoch: 0,
      lr: 5e-4,
      train: { loss: 1.25, accuracy: 0.5, microAccuracy: 0.6, perplexity: 4 },
      test: { loss: 0.1, accuracy: 0.25, microAccuracy: 0.3, perplexity: NaN },
      seconds: 1,
    },
  ],
  microBatches: 2,
  seconds: 1.5,
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempLogs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mad-results-'));
  dirs.push(dir);
  return dir;
}

describe('results.csv', () => {
  it('is written as pandas writes it: Python floats, NaN empty, inf as inf', () => {
    expect(formatResultsCsv(result.row)).toBe('train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss\n0.5,4.0,1.25,0.25,1.1,1e-05\n');
    const odd = { ...result.row, test_acc: NaN, test_ppl: Infinity };
    expect(formatResultsCsv(odd)).toBe('train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss\n0.5,4.0,1.25,,inf,1e-05\n');
    expect(parseResultsCsv(formatResultsCsv(odd), 'f')).toEqual(odd);
  });

  it("reads mad-lab's files: columns by name, nan spelled out", () => {
    const text = 'test_acc,test_ppl,test_loss,train_acc,train_ppl,train_loss\r\n0.998046875,1.0039,0.0039,0.41,nan,3.2\r\n';
    expect(parseResultsCsv(text, 'f')).toEqual({ train_acc: 0.41, train_ppl: NaN, train_loss: 3.2, test_acc: 0.998046875, test_ppl: 1.0039, test_loss: 0.0039 });
    expect(() => parseResultsCsv('train_acc,test_acc\n1,1\n', 'x/results.csv')).toThrow('x/results.csv: column train_ppl is missing (header: train_acc,test_acc)');
    expect(() => parseResultsCsv('train_acc\n', 'f')).toThrow(/expected a header and one row/);
    expect(() => parseResultsCsv(`${formatResultsCsv(result.row).split('\n')[0]}\na,1,1,1,1,1\n`, 'f')).toThrow("f, train_acc: 'a' is not a number");
  });
});

describe('FileResultsStore', () => {
  it("keeps a run under mad-lab's directory name, with our run.json beside results.csv", async () => {
    const logs = tempLogs();
    const store = new FileResultsStore(logs);
    const runDir = runDirNameOf(plan);
    await store.start(runDir, plan);
    expect(await store.has(runDir)).toBe(false);
    expect(await store.list()).toEqual([]);
    await store.put(runDir, plan, result);
    expect(await store.has(runDir)).toBe(true);
    expect(await store.list()).toEqual([runDir]);
    const stored = await store.get(runDir);
    expect(stored?.row).toEqual(result.row);
    expect(stored?.summary?.status).toBe('completed');
    expect(stored?.summary?.epochs[0]?.test.perplexity).toBeNaN();
    expect(stored?.summary?.plan).toEqual(plan);
    expect(readFileSync(join(logs, runDir, 'results.csv'), 'utf8').split('\n')[0]).toBe('train_acc,train_ppl,train_loss,test_acc,test_ppl,test_loss');
  });

  it("reads a run mad-lab wrote (results.csv alone) and redoes an unfinished one from scratch", async () => {
    const logs = tempLogs();
    const store = new FileResultsStore(logs);
    const madLab = join(logs, runDirNameOf(plan));
    mkdirSync(madLab);
    writeFileSync(join(madLab, 'results.csv'), formatResultsCsv(result.row));
    expect(await store.get(runDirNameOf(plan))).toEqual({ row: result.row });

    const unfinished = join(logs, 'unfinished');
    mkdirSync(join(unfinished, 'checkpoints'), { recursive: true });
    writeFileSync(join(unfinished, 'checkpoints', 'last.ckpt'), 'x');
    expect(await store.has('unfinished')).toBe(false);
    await store.start('unfinished', plan);
    expect(() => readFileSync(join(unfinished, 'checkpoints', 'last.ckpt'))).toThrow(/ENOENT/);
    expect(JSON.parse(readFileSync(join(unfinished, 'run.json'), 'utf8')).status).toBe('running');
  });

  it('writes results.csv by rename, so a writer killed mid-write leaves an unfinished run that start clears', async () => {
    const logs = tempLogs();
    const store = new FileResultsStore(logs);
    const runDir = runDirNameOf(plan);
    await store.start(runDir, plan);
    // A process killed while writing leaves only its temporary file: the run is not finished.
    writeFileSync(join(logs, runDir, 'results.csv.partial-4242'), 'train_acc,train_ppl\n0.5,');
    expect(await store.has(runDir)).toBe(false);
    await store.start(runDir, plan);
    expect(readdirSync(join(logs, runDir))).toEqual(['run.json']);
    await store.put(runDir, plan, result);
    expect(readdirSync(join(logs, runDir)).sort()).toEqual(['results.csv', 'run.json']);
  });

  it('warns once, naming the file, and counts a run with impossible or malformed results as unfinished', async () => {
    const logs = tempLogs();
    const warnings: string[] = [];
    const store = new FileResultsStore(logs, (line) => warnings.push(line));
    const runDir = runDirNameOf(plan);
    await store.put(runDir, plan, result);
    const csv = join(logs, runDir, 'results.csv');
    writeFileSync(csv, formatResultsCsv({ ...result.row, test_acc: 7 }));
    expect(await store.has(runDir)).toBe(false);
    expect(await store.get(runDir)).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(warnings).toEqual([`${csv}: impossible results (test_acc 7 is not an accuracy in [0, 1]); the run counts as unfinished and is trained again`]);

    const other = new FileResultsStore(logs, (line) => warnings.push(line));
    writeFileSync(csv, 'not,a\nresults,file\n');
    expect(await other.get(runDir)).toBeUndefined();
    expect(warnings[1]).toBe(`${csv}: column train_acc is missing (header: not,a); the run counts as unfinished and is trained again`);
  });

  it('ignores a run.json that is not a run summary, or not JSON, with a warning naming it; the row stands', async () => {
    const logs = tempLogs();
    const warnings: string[] = [];
    const store = new FileResultsStore(logs, (line) => warnings.push(line));
    const runDir = runDirNameOf(plan);
    await store.put(runDir, plan, result);
    const summary = join(logs, runDir, 'run.json');
    writeFileSync(summary, '{}');
    expect(await store.get(runDir)).toEqual({ row: result.row });
    expect(await store.get(runDir)).toEqual({ row: result.row });
    expect(warnings).toEqual([`${summary}: not a run summary (no status); ignored, results.csv stands alone`]);
    writeFileSync(summary, JSON.stringify({ status: 'completed', epochs: [], plan: { architecture: { layers: 3 }, setting: {}, training: {} } }));
    expect(await new FileResultsStore(logs, (line) => warnings.push(line)).get(runDir)).toEqual({ row: result.row });
    expect(warnings[1]).toBe(`${summary}: not a run summary (plan.architecture.layers is not a list of layers); ignored, results.csv stands alone`);
    writeFileSync(summary, '{"status": ');
    expect(await new FileResultsStore(logs, (line) => warnings.push(line)).get(runDir)).toEqual({ row: result.row });
    expect(warnings[2]!.startsWith(`${summary}: not valid JSON (`)).toBe(true);
    expect(warnings[2]).toMatch(/\); ignored, results\.csv stands alone$/);
  });
});
