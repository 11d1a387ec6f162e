// Builds a task's train and test splits from one stream, as mad-lab's generate_data does (spec §2).

import { settingName } from './settings.ts';
import { createTaskStream, modelInputLength, type Split } from './stream.ts';
import type { TaskSetting } from './types.ts';

/** Row-major [count, inputLength] token ids; targets hold IGNORE_INDEX where unscored. */
export interface SplitData {
  inputs: Int32Array;
  targets: Int32Array;
  count: number;
  inputLength: number;
}

export interface Dataset {
  setting: TaskSetting;
  train: SplitData;
  test: SplitData;
  leakage: { overlapFraction: number; warning?: string };
}

/** mad-lab warns when more than this share of distinct test inputs also occurs in training. */
const LEAKAGE_WARNING_THRESHOLD = 0.001;
const PROGRESS_EVERY = 512;

export function buildDataset(
  setting: TaskSetting,
  opts: { onProgress?(done: number, total: number): void } = {},
): Dataset {
  const stream = createTaskStream(setting);
  const inputLength = modelInputLength(setting);
  const total = setting.numTrainExamples + setting.numTestExamples;
  let done = 0;

  const drawSplit = (split: Split, count: number): SplitData => {
    const inputs = new Int32Array(count * inputLength);
    const targets = new Int32Array(count * inputLength);
    for (let row = 0; row < count; row++) {
      const instance = stream.next(split);
      if (instance.inputs.length !== inputLength || instance.targets.length !== inputLength) {
        throw new Error(
          `${settingName(setting)}: ${split} instance ${row} has ${instance.inputs.length} inputs and ` +
            `${instance.targets.length} targets, expected ${inputLength}`,
        );
      }
      inputs.set(instance.inputs, row * inputLength);
      targets.set(instance.targets, row * inputLength);
      done++;
      if (done % PROGRESS_EVERY === 0) opts.onProgress?.(done, total);
    }
    return { inputs, targets, count, inputLength };
  };

  // Order matters: the test split continues the random stream where training stopped.
  const train = drawSplit('train', setting.numTrainExamples);
  const test = drawSplit('test', setting.numTestExamples);
  opts.onProgress?.(total, total);

  const overlapFraction = testOverlapFraction(train, test);
  const leakage: Dataset['leakage'] = { overlapFraction };
  if (overlapFraction > LEAKAGE_WARNING_THRESHOLD) {
    leakage.warning =
      `Potential data leakage: ${(overlapFraction * 100).toFixed(2)} % of distinct test inputs ` +
      `also occur in the training set (${settingName(setting)})`;
  }
  return { setting, train, test, leakage };
}

/** Share of distinct test input rows that also occur among the training input rows. */
export function testOverlapFraction(train: SplitData, test: SplitData): number {
  const trainRows = new RowSet(train);
  for (let row = 0; row < train.count; row++) trainRows.add(row);
  const distinctTestRows = new RowSet(test);
  let distinct = 0;
  let shared = 0;
  for (let row = 0; row < test.count; row++) {
    if (!distinctTestRows.add(row)) continue;
    distinct++;
    if (trainRows.contains(test.inputs, row * test.inputLength)) shared++;
  }
  return distinct === 0 ? 0 : shared / distinct;
}

/** A set of rows of one split, keyed by a 53-bit hash of the row and confirmed by comparing tokens. */
class RowSet {
  private readonly rowsByHash = new Map<number, number[]>();

  constructor(private readonly split: SplitData) {}

  /** Adds a row of this split; false when an equal row is already present. */
  add(row: number): boolean {
    const offset = row * this.split.inputLength;
    const hash = hashRow(this.split.inputs, offset, this.split.inputLength);
    const bucket = this.rowsByHash.get(hash);
    if (bucket === undefined) {
      this.rowsByHash.set(hash, [row]);
      return true;
    }
    if (this.bucketHolds(bucket, this.split.inputs, offset)) return false;
    bucket.push(row);
    return true;
  }

  /** Whether a row of the same length, read from `data` at `offset`, is in the set. */
  contains(data: Int32Array, offset: number): boolean {
    const bucket = this.rowsByHash.get(hashRow(data, offset, this.split.inputLength));
    return bucket !== undefined && this.bucketHolds(bucket, data, offset);
  }

  private bucketHolds(bucket: readonly number[], data: Int32Array, offset: number): boolean {
    const { inputs, inputLength } = this.split;
    return bucket.some((row) => {
      const start = row * inputLength;
      for (let i = 0; i < inputLength; i++) if (inputs[start + i] !== data[offset + i]) return false;
      return true;
    });
  }
}

/** Two independent 32-bit multiplicative hashes combined into one safe integer. */
function hashRow(data: Int32Array, offset: number, length: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = offset; i < offset + length; i++) {
    const token = data[i];
    a = Math.imul(a ^ token, 0x01000193);
    b = Math.imul((b ^ token) + 0x632be5ab, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2097152 + ((b >>> 0) & 0x1fffff);
}
