// What a MAD score leaves out: missing tasks and settings scored from fewer sweep points than the
// model's others, each said once per model; a score that covers everything gets no note.
import { describe, expect, it } from 'vitest';
import { makeSetting } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { TASK_NAMES } from '../tasks/types.ts';
import { computeMadScores, type ScoredRun } from './madScore.ts';
import { scoreGaps } from './scoreGaps.ts';

const SWEEP = [1e-4, 3e-4, 1e-3];

/** A setting's runs at the first `points` learning rates; `diverged` of them end in NaN. */
function runs(setting: TaskSetting, points: number, diverged = 0): ScoredRun[] {
  return SWEEP.slice(0, points).map((lr, i) => {
    const acc = i < diverged ? NaN : 0.5;
    return {
      key: { setting, batchSize: 128, epochs: 20, lr, weightDecay: 0, optimizer: 'adamw', scheduler: 'cosine', modelId: 'H-Sg' },
      row: { train_acc: acc, train_ppl: 2, train_loss: 0.7, test_acc: acc, test_ppl: 2, test_loss: 0.7 },
    };
  });
}

const everyTask = TASK_NAMES.map((task) => makeSetting(task));

describe('scoreGaps', () => {
  it('has nothing to say when every task is there with every sweep point', () => {
    expect(scoreGaps(computeMadScores(everyTask.flatMap((s) => runs(s, 3))))).toEqual([]);
  });

  it('names the tasks without a scored run and says what the mean is over', () => {
    const two = [makeSetting('memorization'), makeSetting('in-context-recall')];
    expect(scoreGaps(computeMadScores(two.flatMap((s) => runs(s, 3))))).toEqual([
      'model H-Sg has no scored run of noisy-in-context-recall, fuzzy-in-context-recall, compression, selective-copying: its mean is over the other 2 of the 6 tasks.',
    ]);
  });

  it("names the settings with fewer sweep points than the model's fullest, counting a diverged run as missing", () => {
    const [recall, ...others] = everyTask;
    const recallV32 = makeSetting('in-context-recall', { vocabSize: 32 });
    const scored = computeMadScores([...runs(recall!, 2), ...others.flatMap((s) => runs(s, 3)), ...runs(recallV32, 3, 1)]);
    const [note, ...rest] = scoreGaps(scored);
    expect(rest).toEqual([]);
    expect(note).toMatch(/^model H-Sg: 2 of its 7 settings had fewer sweep points \(lr, weight decay\) than its others' 3, so their best was picked from fewer runs: /);
    expect(note).toContain('in-context-recall t-CR_vs-16_sl-128_');
    expect(note).toContain('in-context-recall t-CR_vs-32_');
    expect(note).toMatch(/ \(2\); in-context-recall t-CR_vs-32_.* \(2\)\. Their other runs may be training, diverged \(left out\), or in another shard's logs directory\.$/);
  });

  it('names three settings and counts the rest', () => {
    const settings = [24, 48, 96, 192, 384].map((vocabSize) => makeSetting('memorization', { vocabSize }));
    const scored = computeMadScores([...runs(makeSetting('memorization'), 3), ...settings.flatMap((s) => runs(s, 1))]);
    const notes = scoreGaps(scored);
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatch(/^model H-Sg: 5 of its 6 settings had fewer sweep points .* \(1\) and 2 more\. /);
  });
});
