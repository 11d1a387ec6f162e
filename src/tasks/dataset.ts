// Builds a task's train and test splits from one stream, as mad-lab's generate_data does (docs/protocol.md §2),
// and checks any split, wherever it came from, against a vocabulary before it is trained on.

import { settingName } from './settings.ts';
import { createTaskStream, modelInputLength, type Split } from './stream.ts';
import { IGNORE_INDEX, type TaskSetting } from './types.ts';

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

/** How range problems name a split's two arrays: 'train inputs', or a file's path. */
export interface SplitNames {
  inputs: string;
  targets: string;
}

/**
 * The shape and vocabulary problems of one split, one sentence each naming the array: values that
 * do not make count × inputLength, the first input token outside [0, vocabSize) and the first
 * target neither in it nor IGNORE_INDEX. One pass, no allocation: cheap next to one epoch.
 */
export function splitRangeProblems(split: SplitData, vocabSize: number, names: SplitNames): string[] {
  const { count, inputLength: len, inputs, targets } = split;
  const problems: string[] = [];
  for (const [values, name] of [[inputs, names.inputs], [targets, names.targets]] as const) {
    if (values.length !== count * len) problems.push(`${name}: ${values.length} values, not the ${count} × ${len} of the split`);
  }
  if (problems.length > 0) return problems;
  const where = (i: number): string => `row ${Math.floor(i / len)}, position ${i % len}`;
  const badInput = inputs.findIndex((v) => v < 0 || v >= vocabSize);
  if (badInput >= 0) problems.push(`${names.inputs}: token ${inputs[badInput]} at ${where(badInput)} is outside [0, ${vocabSize})`);
  const badTarget = targets.findIndex((v) => v !== IGNORE_INDEX && (v < 0 || v >= vocabSize));
  if (badTarget >= 0) problems.push(`${names.targets}: target ${targets[badTarget]} at ${where(badTarget)} is neither in [0, ${vocabSize}) nor ${IGNORE_INDEX}`);
  return problems;
}

/**
 * Throws one Error naming every problem when either split does not fit `vocabSize` (see
 * splitRangeProblems), or when the splits' rows differ in length. Run it on any data about to be
 * trained, generated or read: an embedding lookup outside the table reads garbage, not an error.
 */
export function assertDataFitsVocabulary(data: { train: SplitData; test: SplitData }, vocabSize: number): void {
  const problems = (['train', 'test'] as const).flatMap((split) => splitRangeProblems(data[split], vocabSize, { inputs: `${split} inputs`, targets: `${split} targets` }));
  if (data.train.inputLength !== data.test.inputLength) {
    problems.push(`train rows have ${data.train.inputLength} tokens and test rows ${data.test.inputLength}`);
  }
  if (problems.length > 0) throw new Error(`The data cannot be trained with a vocabulary of ${vocabSize}: ${problems.join('; ')}.`);
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
