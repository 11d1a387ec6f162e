import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../train/types.ts';
import { outcomeLine } from './demoOutcome.ts';

function result(status: RunResult['status'], testAcc: number): RunResult {
  return {
    status,
    bestEpoch: status === 'diverged' ? null : 3,
    row: { train_acc: 0.5, train_ppl: 2, train_loss: 0.7, test_acc: testAcc, test_ppl: 2, test_loss: 0.7 },
    epochs: [],
    microBatches: 1,
    seconds: 10,
  };
}

describe('outcomeLine', () => {
  it("reads each model's test accuracy to two decimals, in the demo's order", () => {
    expect(outcomeLine([{ label: 'attention', result: result('completed', 0.9712) }, { label: 'MLP', result: result('early-stopped', 0.125) }])).toBe(
      'Test accuracy: attention 0.97 vs MLP 0.13',
    );
  });

  it('says which model diverged instead of printing NaN', () => {
    expect(outcomeLine([{ label: 'wide', result: result('completed', 0.8) }, { label: 'narrow', result: result('diverged', Number.NaN) }])).toBe(
      'Test accuracy: wide 0.80 vs narrow diverged',
    );
  });
});
