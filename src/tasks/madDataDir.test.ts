import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTaskGrids } from '../config/taskGridDisk.ts';
import { buildDataset, type Dataset } from './dataset.ts';
import { checkDataDir, readSettingDir, SettingDataError, writeSettingDir } from './madDataDir.ts';
import { decodeNpy, encodeNpyInt64 } from './npy.ts';
import { makeSetting, settingName } from './settings.ts';
import { IGNORE_INDEX, TASK_NAMES, type TaskName } from './types.ts';

let root: string;
/** One tiny dataset per task: the benchmark baseline with 20 train and 10 test rows. */
const datasets = {} as Record<TaskName, Dataset>;
/** The pristine data directory holding all six. */
let pristine: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mad-data-dir-'));
  pristine = join(root, 'pristine');
  const grids = loadTaskGrids();
  for (const task of TASK_NAMES) {
    datasets[task] = buildDataset(makeSetting(task, { ...grids[task].baseline, numTrainExamples: 20, numTestExamples: 10 }));
    writeSettingDir(pristine, datasets[task]);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

let copies = 0;
/** A fresh copy of one task's setting dir, to corrupt; returns its path. */
function copyOf(task: TaskName, name = settingName(datasets[task].setting)): string {
  const dir = join(root, `copy-${copies++}`, name);
  cpSync(join(pristine, settingName(datasets[task].setting)), dir, { recursive: true });
  return dir;
}

/** The single setting's problems after checking `dir`. */
function problemsOf(dir: string): string[] {
  const reports = checkDataDir(dir);
  expect(reports).toHaveLength(1);
  for (const p of reports[0]!.problems) expect(p).not.toContain('\n');
  return reports[0]!.problems;
}

/** Rewrites one .npy file's values through `edit(values, shape)`. */
function editNpy(file: string, edit: (values: Int32Array, shape: number[]) => void): void {
  const { data, shape } = decodeNpy(readFileSync(file), file);
  edit(data, shape);
  writeFileSync(file, encodeNpyInt64(data, shape));
}

describe('writeSettingDir / readSettingDir', () => {
  it('round-trips every task, with the setting parsed from the directory name', () => {
    for (const task of TASK_NAMES) {
      const dataset = datasets[task];
      const back = readSettingDir(join(pristine, settingName(dataset.setting)));
      expect(back.setting).toEqual(dataset.setting);
      expect(back.train).toEqual(dataset.train);
      expect(back.test).toEqual(dataset.test);
    }
  });

  it('replaces an existing setting dir and leaves no temporary directory', () => {
    const dir = join(root, 'rewrite');
    writeSettingDir(dir, datasets.compression);
    const path = writeSettingDir(dir, datasets.compression);
    expect(basename(path)).toBe(settingName(datasets.compression.setting));
    expect(checkDataDir(dir).map((r) => r.name)).toEqual([basename(path)]);
  });

  it('throws one line naming the file', () => {
    const dir = copyOf('memorization');
    rmSync(join(dir, 'test', 'targets.npy'));
    expect(() => readSettingDir(dir)).toThrow(`${dir} cannot be trained on (1 problem): ${join(dir, 'test', 'targets.npy')}: missing`);
  });

  it('refuses to read for training what the check refuses: tokens and targets outside the vocabulary, each named', () => {
    const dir = copyOf('memorization');
    const inputs = join(dir, 'train', 'inputs.npy');
    const targets = join(dir, 'test', 'targets.npy');
    editNpy(inputs, (v) => {
      v[3] = 2_000_000_000;
      v[7] = -7;
    });
    editNpy(targets, (v) => (v[1] = 1_000_000));
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      `${inputs}: token 2000000000 at row 0, position 3 is outside [0, 256)`,
      `${targets}: target 1000000 at row 0, position 1 is neither in [0, 256) nor -100`,
    ]);
    let error: unknown;
    try {
      readSettingDir(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingDataError);
    expect((error as SettingDataError).problems).toEqual(problems);
    expect((error as Error).message).toBe(`${dir} cannot be trained on (2 problems): ${problems.join('; ')}`);
  });

  it('refuses a file larger than its setting can need before reading it', () => {
    const dir = copyOf('compression');
    const file = join(dir, 'test', 'inputs.npy');
    writeFileSync(file, Buffer.alloc(10 * 32 * 8 + 65_536 + 1));
    expect(problemsOf(dir)).toEqual([`${file}: 68,097 bytes, more than the 68,096 its setting's rows can take; not read`]);
  });

  it('refuses splits whose rows differ in length, which the trainer cannot batch together', () => {
    const single = buildDataset(makeSetting('in-context-recall', { ...datasets['in-context-recall'].setting, multiQuery: false }));
    const dir = copyOf('in-context-recall');
    writeFileSync(join(dir, 'test', 'inputs.npy'), encodeNpyInt64(single.test.inputs, [10, 128]));
    writeFileSync(join(dir, 'test', 'targets.npy'), encodeNpyInt64(single.test.targets, [10, 128]));
    expect(problemsOf(dir)).toEqual([`${join(dir, 'test', 'inputs.npy')}: rows have 128 tokens, the training rows 127; both splits come from one setting`]);
    expect(() => readSettingDir(dir)).toThrow(SettingDataError);
  });
});

describe('checkDataDir', () => {
  it('passes what writeSettingDir wrote, for every task, and reports sizes', () => {
    const reports = checkDataDir(pristine);
    expect(reports).toHaveLength(6);
    for (const r of reports) {
      expect(r.problems).toEqual([]);
      expect([r.trainCount, r.testCount]).toEqual([20, 10]);
    }
    const byTask = (task: TaskName) => reports.find((r) => r.name === settingName(datasets[task].setting))!;
    expect(byTask('in-context-recall').inputLength).toBe(127);
    expect(byTask('selective-copying').meanScoredPerTestRow).toBe(16);
    expect(byTask('memorization').meanScoredPerTestRow).toBe(16);
    expect(byTask('compression').meanScoredPerTestRow).toBe(32);
  });

  it('accepts a single setting directory', () => {
    const dir = join(pristine, settingName(datasets['fuzzy-in-context-recall'].setting));
    expect(problemsOf(dir)).toEqual([]);
  });

  it('reports corrupt files with one line naming the file', () => {
    const dir = copyOf('in-context-recall');
    const file = (split: string, kind: string) => join(dir, split, `${kind}.npy`);
    const full = readFileSync(file('test', 'inputs'));
    writeFileSync(file('test', 'inputs'), full.subarray(0, full.length - 13)); // truncated
    writeFileSync(file('train', 'inputs'), Buffer.from('PK\x03\x04 not numpy')); // foreign file
    // A float64 file: same header layout, another descr.
    const targets = readFileSync(file('test', 'targets'));
    writeFileSync(file('test', 'targets'), Buffer.from(targets.toString('latin1').replace("'<i8'", "'<f8'"), 'latin1'));
    expect(problemsOf(dir)).toEqual([
      `${file('train', 'inputs')}: not a .npy file (bad magic)`,
      `${file('test', 'inputs')}: truncated data: shape (10, 127) needs 10160 bytes, file has 10147`,
      `${file('test', 'targets')}: dtype <f8 not supported (expected <i8)`,
    ]);
  });

  it('reports shapes that do not fit the setting', () => {
    const dir = copyOf('in-context-recall');
    const file = (split: string, kind: string) => join(dir, split, `${kind}.npy`);
    // Test rows of a length neither layout has (127 multi-query, 128 single-query), a 1-D file.
    writeFileSync(file('test', 'inputs'), encodeNpyInt64(new Int32Array(10 * 126), [10, 126]));
    writeFileSync(file('test', 'targets'), encodeNpyInt64(new Int32Array(10 * 126).fill(IGNORE_INDEX), [10, 126]));
    writeFileSync(file('train', 'inputs'), encodeNpyInt64(new Int32Array(3), [3]));
    expect(problemsOf(dir)).toEqual([
      `${file('train', 'inputs')}: shape (3,) is not 2-D (examples, positions)`,
      `${file('test', 'inputs')}: rows have 126 tokens, in-context-recall at sl-128 needs 127 or 128`,
      `${file('test', 'targets')}: 10 of 10 rows break the in-context-recall pattern (first row 0: the final probe (last position) is not scored)`,
    ]);
  });

  it('reports a train/targets shape that differs from the inputs', () => {
    const dir = copyOf('compression');
    const file = join(dir, 'train', 'targets.npy');
    writeFileSync(file, encodeNpyInt64(new Int32Array(20 * 31), [20, 31]));
    expect(problemsOf(dir)).toEqual([`${file}: shape (20, 31) differs from the inputs' (20, 32)`]);
  });

  it('reports <i4 files, which mad-lab cannot train on', () => {
    const dir = copyOf('compression');
    const file = join(dir, 'test', 'inputs.npy');
    const { data, shape } = decodeNpy(readFileSync(file), file);
    const header = `{'descr': '<i4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`.padEnd(117) + '\n';
    const bytes = new Uint8Array(128 + data.length * 4);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    bytes.set(new Uint8Array(data.buffer), 128); // little-endian host
    writeFileSync(file, bytes);
    expect(problemsOf(dir)).toEqual([`${file}: dtype <i4, mad-lab needs <i8`]);
  });

  it('accepts single-query recall data, which mad-lab also names mq-1', () => {
    const dataset = buildDataset(makeSetting('noisy-in-context-recall', { ...datasets['noisy-in-context-recall'].setting, multiQuery: false }));
    const dir = join(root, 'single-query');
    writeSettingDir(dir, dataset);
    expect(checkDataDir(dir)[0]).toMatchObject({ inputLength: 128, problems: [] });
  });

  it('reports a directory name that is not a mad-lab setting name, and still checks the files', () => {
    const dir = copyOf('in-context-recall', 'my-recall-data');
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${dir}: not a mad-lab setting directory \\(Malformed setting name "my-recall-data": .*\\)$`));
    expect(checkDataDir(dir)[0]!.trainCount).toBe(20);
  });

  it('reports counts that differ from the name', () => {
    const name = settingName({ ...datasets['noisy-in-context-recall'].setting, numTrainExamples: 40 });
    const dir = copyOf('noisy-in-context-recall', name);
    expect(problemsOf(dir)).toEqual([`${join(dir, 'train', 'inputs.npy')}: 20 rows, the directory name says ntr-40`]);
  });

  it('reports tokens outside the vocabulary and targets that are neither tokens nor the ignore index', () => {
    const dir = copyOf('memorization');
    const inputs = join(dir, 'train', 'inputs.npy');
    const targets = join(dir, 'train', 'targets.npy');
    editNpy(inputs, (v, [, len]) => (v[2 * len! + 4] = 256));
    editNpy(targets, (v) => (v[1] = -1));
    expect(problemsOf(dir)).toEqual([
      `${inputs}: token 256 at row 2, position 4 is outside [0, 256)`,
      `${targets}: target -1 at row 0, position 1 is neither in [0, 256) nor -100`,
    ]);
  });

  it("reports each task's broken ignore pattern", () => {
    const cases: [TaskName, string, (v: Int32Array, len: number) => void, string][] = [
      ['in-context-recall', 'train', (v) => (v[5] = IGNORE_INDEX), 'row 0: 1 ignored targets; recall training targets are the full next-token sequence'],
      ['fuzzy-in-context-recall', 'test', (v, len) => v.fill(3, len, 2 * len), 'row 1: target at position 0 is not the next input token'],
      ['selective-copying', 'test', (v, len) => (v[len - 1] = IGNORE_INDEX), 'row 0: 15 scored positions (15 among the last 16), expected exactly the last 16 (ntc-16)'],
      ['compression', 'train', (v, len) => (v[3 * len] = (v[3 * len]! + 1) % 15), 'row 3: target at position 0 differs from the input'],
      ['memorization', 'test', (v) => (v[0] = 5), 'row 0: position 0 is scored; memorization scores exactly the odd positions'],
    ];
    for (const [task, split, edit, why] of cases) {
      const dir = copyOf(task);
      const file = join(dir, split, 'targets.npy');
      editNpy(file, (v, [, len]) => edit(v, len!));
      const rows = split === 'train' ? 20 : 10;
      expect(problemsOf(dir)).toEqual([`${file}: 1 of ${rows} rows break the ${task} pattern (first ${why})`]);
    }
  });

  it('reports an empty data directory and refuses a path that is not a directory', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(problemsOf(empty)).toEqual([`${empty}: no setting directories (and no train/ or test/) found`]);
    expect(() => checkDataDir(join(root, 'nowhere'))).toThrow(new Error(`${join(root, 'nowhere')}: not a directory`));
  });
});
