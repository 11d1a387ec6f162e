// mad-lab's on-disk datasets, `<dir>/<setting-name>/{train,test}/{inputs,targets}.npy` (int64, shape
// [count, inputLength]): write, read, and check them, so data written here and by mad-lab (or the
// Zenodo archive) are interchangeable. Node only (fs). Problems are one line naming the file.
// Reading for training and `mad data --check` go through one inspection: data that would fail the
// check are never trained on.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { splitRangeProblems, type Dataset, type SplitData } from './dataset.ts';
import { decodeNpy, encodeNpyInt64, formatShape, type NpyArray } from './npy.ts';
import { parseSettingName, settingName } from './settings.ts';
import { modelInputLength, type Split } from './stream.ts';
import { IGNORE_INDEX, type TaskSetting } from './types.ts';

const SPLITS: readonly Split[] = ['train', 'test'];

/** A setting read back from disk: the Dataset without the leakage figures. */
export type SettingData = Pick<Dataset, 'setting' | 'train' | 'test'>;

/**
 * Writes `dataset` to `<dir>/<setting-name>/` and returns that path, replacing any existing one.
 * Files go to a temporary sibling first and are renamed into place, because mad-lab loads an
 * existing setting directory as-is: an interrupted write must not leave a half directory behind.
 */
export function writeSettingDir(dir: string, dataset: Dataset): string {
  const path = settingDirPath(dir, dataset.setting);
  const partial = `${path}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  for (const split of SPLITS) {
    const data = dataset[split];
    mkdirSync(join(partial, split), { recursive: true });
    const shape = [data.count, data.inputLength];
    writeFileSync(join(partial, split, 'inputs.npy'), encodeNpyInt64(data.inputs, shape));
    writeFileSync(join(partial, split, 'targets.npy'), encodeNpyInt64(data.targets, shape));
  }
  rmSync(path, { recursive: true, force: true });
  renameSync(partial, path);
  return path;
}

/** The directory `writeSettingDir` writes `setting` to. */
export function settingDirPath(dir: string, setting: TaskSetting): string {
  return join(dir, settingName(setting));
}

/**
 * Reads one setting directory for training; the setting comes from its name. Every check of
 * checkDataDir runs first (names, shapes, dtypes, token ranges, the task's pattern, both splits
 * alike): a directory with any problem throws a SettingDataError naming each one.
 */
export function readSettingDir(path: string): SettingData {
  const { report, data } = inspectSettingDir(path);
  if (report.problems.length > 0 || data === undefined) throw new SettingDataError(path, report.problems);
  return data;
}

/** A setting directory that cannot be trained on; `problems` are one line each, naming the file. */
export class SettingDataError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`${path} cannot be trained on (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`);
    this.name = 'SettingDataError';
  }
}

/** What `checkDataDir` found in one setting directory. Counts are absent where a file was unreadable. */
export interface SettingReport {
  name: string;
  path: string;
  trainCount?: number;
  testCount?: number;
  inputLength?: number;
  meanScoredPerTestRow?: number;
  /** One line each, naming the file; empty when the setting is fine. */
  problems: string[];
}

/**
 * Validates a setting directory, or a directory of them, against what mad-lab writes for the
 * setting its name describes. Throws only when `dir` itself is not a readable directory.
 */
export function checkDataDir(dir: string): SettingReport[] {
  if (!isDirectory(dir)) throw new Error(`${dir}: not a directory`);
  if (SPLITS.some((split) => existsSync(join(dir, split)))) return [checkSettingDir(dir)];
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.includes('.partial-'))
    .map((e) => e.name)
    .sort();
  if (children.length === 0) {
    return [{ name: basename(dir), path: dir, problems: [`${dir}: no setting directories (and no train/ or test/) found`] }];
  }
  return children.map((name) => checkSettingDir(join(dir, name)));
}

function checkSettingDir(path: string): SettingReport {
  return inspectSettingDir(path).report;
}

/** The one inspection behind checkDataDir and readSettingDir: the report, and the data when every file was readable. */
function inspectSettingDir(path: string): { report: SettingReport; data?: SettingData } {
  const report: SettingReport = { name: basename(path), path, problems: [] };
  let setting: TaskSetting | undefined;
  try {
    setting = parseSettingDirName(path);
  } catch (e) {
    report.problems.push((e as Error).message);
  }
  const splits: Partial<Record<Split, SplitData>> = {};
  for (const split of SPLITS) {
    const files = splitFiles(path, split);
    const maxBytes = setting === undefined ? undefined : largestFileBytes(setting, split);
    const read = (file: string): NpyArray | undefined => {
      try {
        const matrix = readMatrix(file, maxBytes);
        if (matrix.dtype !== '<i8') report.problems.push(`${file}: dtype ${matrix.dtype}, mad-lab needs <i8`);
        return matrix;
      } catch (e) {
        report.problems.push((e as Error).message);
        return undefined;
      }
    };
    const inputs = read(files.inputs);
    const targets = read(files.targets);
    if (inputs === undefined || targets === undefined) continue;
    let data: SplitData;
    try {
      data = toSplitData(inputs, targets, files.targets);
    } catch (e) {
      report.problems.push((e as Error).message);
      continue;
    }
    splits[split] = data;
    report[split === 'train' ? 'trainCount' : 'testCount'] = data.count;
    report.inputLength = data.inputLength;
    if (split === 'test') report.meanScoredPerTestRow = data.count > 0 ? countScored(data.targets) / data.count : 0;
    if (setting !== undefined) report.problems.push(...checkSplit(setting, split, data, files));
  }
  const { train, test } = splits;
  if (train !== undefined && test !== undefined && train.inputLength !== test.inputLength) {
    report.problems.push(`${splitFiles(path, 'test').inputs}: rows have ${test.inputLength} tokens, the training rows ${train.inputLength}; both splits come from one setting`);
  }
  const data = setting !== undefined && train !== undefined && test !== undefined ? { setting, train, test } : undefined;
  return { report, data };
}

/** Bytes a split's .npy file may have: int64 rows of the longest layout the name allows, plus a generous header. */
function largestFileBytes(setting: TaskSetting, split: Split): number {
  const rows = split === 'train' ? setting.numTrainExamples : setting.numTestExamples;
  return rows * Math.max(...inputLengths(setting)) * 8 + NPY_HEADER_ALLOWANCE;
}

/** .npy headers are padded to 64 bytes (v1) and stay far below this; a bigger file is not what the name says. */
const NPY_HEADER_ALLOWANCE = 65_536;

/** mad-lab names single-query data mq-1 too, so an mq-1 name allows either layout. */
function inputLengths(setting: TaskSetting): number[] {
  return [...new Set([modelInputLength(setting), modelInputLength({ ...setting, multiQuery: false })])];
}

/** Sizes, token ranges and the task's ignore pattern (docs/protocol.md §1) of one split. */
function checkSplit(setting: TaskSetting, split: Split, data: SplitData, files: SplitFiles): string[] {
  const problems: string[] = [];
  const { count, inputLength: len } = data;
  const expectedCount = split === 'train' ? setting.numTrainExamples : setting.numTestExamples;
  if (count !== expectedCount) {
    problems.push(`${files.inputs}: ${count} rows, the directory name says ${split === 'train' ? 'ntr' : 'nte'}-${expectedCount}`);
  }
  const lengths = inputLengths(setting);
  if (!lengths.includes(len)) {
    problems.push(`${files.inputs}: rows have ${len} tokens, ${setting.task} at sl-${setting.seqLen} needs ${lengths.join(' or ')}`);
  }
  problems.push(...splitRangeProblems(data, setting.vocabSize, files));

  const rule = patternRule(setting, split, data);
  let bad = 0;
  let first: string | undefined;
  for (let r = 0; r < count; r++) {
    const why = rule(r);
    if (why === undefined) continue;
    bad++;
    first ??= `row ${r}: ${why}`;
  }
  if (first !== undefined) problems.push(`${files.targets}: ${bad} of ${count} rows break the ${setting.task} pattern (first ${first})`);
  return problems;
}

/** Why row r breaks the task's target pattern (docs/protocol.md §1), or undefined. */
function patternRule(setting: TaskSetting, split: Split, data: SplitData): (r: number) => string | undefined {
  const { inputLength: len, inputs, targets } = data;
  const scored = (r: number, p: number) => targets[r * len + p] !== IGNORE_INDEX;
  switch (setting.task) {
    case 'in-context-recall':
    case 'noisy-in-context-recall':
    case 'fuzzy-in-context-recall':
      return (r) => {
        // Targets are the inputs shifted by one (docs/protocol.md §1.1 step 5); test targets keep only recallable positions.
        let ignored = 0;
        for (let p = 0; p < len; p++) {
          const t = targets[r * len + p]!;
          if (t === IGNORE_INDEX) ignored++;
          else if (p + 1 < len && t !== inputs[r * len + p + 1]) return `target at position ${p} is not the next input token`;
        }
        if (split === 'train') return ignored > 0 ? `${ignored} ignored targets; recall training targets are the full next-token sequence` : undefined;
        if (ignored === 0) return 'every target is scored; recall test targets score only recallable positions';
        return len > 0 && !scored(r, len - 1) ? 'the final probe (last position) is not scored' : undefined;
      };
    case 'selective-copying': {
      const T = setting.numTokensToCopy;
      return (r) => {
        let n = 0;
        let tail = 0;
        for (let p = 0; p < len; p++) {
          if (!scored(r, p)) continue;
          n++;
          if (p >= len - T) tail++;
        }
        return n === T && tail === T ? undefined : `${n} scored positions (${tail} among the last ${T}), expected exactly the last ${T} (ntc-${T})`;
      };
    }
    case 'compression':
      return (r) => {
        for (let p = 0; p < len; p++) if (targets[r * len + p] !== inputs[r * len + p]) return `target at position ${p} differs from the input`;
        return undefined;
      };
    case 'memorization':
      return (r) => {
        for (let p = 0; p < len; p++) {
          if (scored(r, p) !== (p % 2 === 1)) return `position ${p} is ${scored(r, p) ? 'scored' : 'ignored'}; memorization scores exactly the odd positions`;
        }
        return undefined;
      };
  }
}

interface SplitFiles {
  inputs: string;
  targets: string;
}

function splitFiles(settingPath: string, split: Split): SplitFiles {
  return { inputs: join(settingPath, split, 'inputs.npy'), targets: join(settingPath, split, 'targets.npy') };
}

function parseSettingDirName(path: string): TaskSetting {
  try {
    return parseSettingName(basename(path));
  } catch (e) {
    throw new Error(`${path}: not a mad-lab setting directory (${(e as Error).message})`);
  }
}

/**
 * Reads a 2-D .npy file; every failure, missing file included, is one line naming it. A file over
 * `maxBytes` is refused before it is read.
 */
function readMatrix(file: string, maxBytes = Infinity): NpyArray {
  let size: number;
  let bytes: Uint8Array | null;
  try {
    size = statSync(file).size;
    bytes = size > maxBytes ? null : readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file}: missing` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  if (bytes === null) {
    throw new Error(`${file}: ${size.toLocaleString('en-US')} bytes, more than the ${maxBytes.toLocaleString('en-US')} its setting's rows can take; not read`);
  }
  const array = decodeNpy(bytes, file);
  if (array.shape.length !== 2) throw new Error(`${file}: shape ${formatShape(array.shape)} is not 2-D (examples, positions)`);
  return array;
}

function toSplitData(inputs: NpyArray, targets: NpyArray, targetsFile: string): SplitData {
  const [count, inputLength] = inputs.shape as [number, number];
  if (targets.shape[0] !== count || targets.shape[1] !== inputLength) {
    throw new Error(`${targetsFile}: shape ${formatShape(targets.shape)} differs from the inputs' (${count}, ${inputLength})`);
  }
  return { inputs: inputs.data, targets: targets.data, count, inputLength };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function countScored(targets: Int32Array): number {
  let n = 0;
  for (const t of targets) if (t !== IGNORE_INDEX) n++;
  return n;
}
