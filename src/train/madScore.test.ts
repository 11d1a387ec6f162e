// A fixture of results rows whose MAD scores were worked out by hand (docs/protocol.md §7).
import { describe, expect, it } from 'vitest';
import { makeSetting } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { computeMadScores, impossibleResults, type ScoredRun } from './madScore.ts';
import { runDirName } from './runKey.ts';
import type { ResultsRow } from './types.ts';

const SWEEP = [
  [1e-4, 0],
  [1e-4, 0.1],
  [1e-3, 0],
  [1e-3, 0.1],
] as const;

function row(testAcc: number, testPpl = 1.5): ResultsRow {
  return { train_acc: 0.9, train_ppl: 1.2, train_loss: 0.2, test_acc: testAcc, test_ppl: testPpl, test_loss: Math.log(testPpl) };
}

/** One setting's four sweep runs, rows in SWEEP order. */
function sweep(setting: TaskSetting, rows: ResultsRow[], modelId = 'mA-Sg'): ScoredRun[] {
  return rows.map((r, i) => ({
    key: { setting, batchSize: 128, epochs: 200, lr: SWEEP[i]![0], weightDecay: SWEEP[i]![1], optimizer: 'adamw', scheduler: 'cosine', modelId },
    row: r,
  }));
}

const recallBaseline = makeSetting('in-context-recall');
const recallV32 = makeSetting('in-context-recall', { vocabSize: 32 });
const recallL256 = makeSetting('in-context-recall', { seqLen: 256 });
const memorization = makeSetting('memorization', { vocabSize: 256, seqLen: 32, numTrainExamples: 256 });
const memorizationV512 = makeSetting('memorization', { vocabSize: 512, seqLen: 32, numTrainExamples: 256 });

const FIXTURE: ScoredRun[] = [
  // Best 0.70: the 0.99 run diverged (NaN perplexity) and is dropped although its accuracy is valid.
  ...sweep(recallBaseline, [row(0.5), row(0.7), row(0.6), row(0.99, NaN)]),
  // Best 0.40, tied between the first two sweep points: the first (lr 1e-4, wd 0) wins.
  ...sweep(recallV32, [row(0.4), row(0.4), row(0.3), row(0.2)]),
  // Every run diverged: the setting drops out of the task's mean.
  ...sweep(recallL256, [row(0.9, NaN), row(0.9, NaN), row(NaN, NaN), row(0.8, NaN)]),
  ...sweep(memorization, [row(0.9), row(0.8), row(0.85), row(0.95)]),
  ...sweep(memorizationV512, [row(0.6), row(NaN), row(0.7), row(0.5)]),
];

describe('computeMadScores', () => {
  it('keeps the best test accuracy per setting, drops NaN rows, averages per task and over tasks', () => {
    const scores = computeMadScores(FIXTURE);
    expect(scores.modelId).toBe('mA-Sg');
    expect(Object.keys(scores.tasks)).toEqual(['in-context-recall', 'memorization']);
    const recall = scores.tasks['in-context-recall']!;
    expect(recall.settings.map((s) => s.testAcc)).toEqual([0.7, 0.4]);
    // The sweep points each best was picked from: the diverged run is not one.
    expect(recall.settings.map((s) => s.sweepPoints)).toEqual([3, 4]);
    expect(recall.score).toBeCloseTo((0.7 + 0.4) / 2, 12);
    expect(scores.tasks.memorization!.settings.map((s) => s.testAcc)).toEqual([0.95, 0.7]);
    expect(scores.tasks.memorization!.score).toBeCloseTo((0.95 + 0.7) / 2, 12);
    expect(scores.mean).toBeCloseTo((0.55 + 0.825) / 2, 12);
    expect(scores.dropped).toHaveLength(6);
    expect(scores.dropped).toContain(runDirName(FIXTURE[3]!.key));
  });

  it("breaks ties by mad-lab's sweep order whatever order the runs come in", () => {
    const reversed = computeMadScores([...FIXTURE].reverse());
    const tied = reversed.tasks['in-context-recall']!.settings.find((s) => s.setting.vocabSize === 32)!;
    expect([tied.lr, tied.weightDecay]).toEqual([1e-4, 0]);
    expect(tied.runDir).toContain('_lr-0#0001_wd-0#0_');
    expect(reversed.mean).toBeCloseTo(0.6875, 12);
  });

  it('gives no score when nothing is left', () => {
    const scores = computeMadScores(sweep(recallL256, [row(NaN), row(NaN), row(NaN), row(NaN)]));
    expect(scores.tasks).toEqual({});
    expect(scores.mean).toBeNull();
  });

  it('refuses results of several models', () => {
    const mixed = [...sweep(memorization, [row(0.9), row(0.8), row(0.7), row(0.6)]), ...sweep(memorization, [row(0.9), row(0.8), row(0.7), row(0.6)], 'H-Sg')];
    expect(() => computeMadScores(mixed)).toThrow(/mix models mA-Sg, H-Sg/);
  });
});

describe('impossibleResults', () => {
  const row: ResultsRow = { train_acc: 1, train_ppl: 1, train_loss: 0, test_acc: 0.5, test_ppl: Infinity, test_loss: Infinity };

  it('accepts what a run can write, NaN (a diverged run) and infinities included', () => {
    expect(impossibleResults(row)).toBeUndefined();
    expect(impossibleResults({ ...row, test_acc: NaN, train_ppl: NaN, train_loss: NaN })).toBeUndefined();
  });

  it('names every impossible value', () => {
    expect(impossibleResults({ ...row, test_acc: 7 })).toBe('test_acc 7 is not an accuracy in [0, 1]');
    expect(impossibleResults({ ...row, train_acc: -0.5, test_ppl: 0.5, train_loss: -1, test_loss: -Infinity })).toBe(
      'train_acc -0.5 is not an accuracy in [0, 1]; train_loss -1 is negative, which a cross-entropy cannot be; test_ppl 0.5 is below 1, the least a perplexity can be; test_loss -Infinity is negative, which a cross-entropy cannot be',
    );
  });
});
