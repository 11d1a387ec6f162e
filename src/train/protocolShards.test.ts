// The split of a plan into shards: disjoint, complete, the same whatever order the runs come in,
// balanced within the greedy bound; and runProtocol training one share while leaving the rest.
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../config/protocolFiles.ts';
import type { ProtocolProfile } from '../config/protocols.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import type { SettingData } from '../tasks/madDataDir.ts';
import { makeSetting } from '../tasks/settings.ts';
import type { TaskSetting } from '../tasks/types.ts';
import { enumerateProtocolRuns, runProtocol, type ProtocolRun, type TrainFunction } from './protocol.ts';
import { MAX_SHARD_COUNT, runCost, splitRunsIntoShares } from './protocolShards.ts';
import { MemoryResultsStore } from './resultsStore.ts';

const architecture = architectureFromLayers(['hyena', 'swiglu'], { dim: 16 });
const FULL = enumerateProtocolRuns(PROTOCOLS.full, architecture);
const dirsOf = (share: readonly ProtocolRun[]): string[] => share.map((run) => run.runDir);
const costOf = (share: readonly ProtocolRun[]): number => share.reduce((sum, run) => sum + runCost(run), 0);

describe('splitRunsIntoShares', () => {
  it.each([1, 2, 3, 7, 64])('splits the full protocol into %i disjoint shares whose union is the plan, each in plan order', (count) => {
    const shares = splitRunsIntoShares(FULL, count);
    expect(shares).toHaveLength(count);
    const all = shares.flatMap(dirsOf);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(dirsOf(FULL).sort());
    for (const share of shares) expect(share.map((run) => run.index)).toEqual([...share.map((run) => run.index)].sort((a, b) => a - b));
  });

  it('is the whole plan, in its order, for one shard', () => {
    expect(splitRunsIntoShares(FULL, 1)).toEqual([FULL]);
  });

  it('gives the same shares whatever order the runs are listed in', () => {
    const reversed = [...FULL].reverse();
    const rotated = [...FULL.slice(100), ...FULL.slice(0, 100)];
    const expected = splitRunsIntoShares(FULL, 5).map(dirsOf);
    expect(splitRunsIntoShares(reversed, 5).map(dirsOf)).toEqual(expected);
    expect(splitRunsIntoShares(rotated, 5).map(dirsOf)).toEqual(expected);
  });

  it.each([2, 3, 5, 8, 16])('balances %i shares by compute: none exceeds the mean by more than the costliest run', (count) => {
    const loads = splitRunsIntoShares(FULL, count).map(costOf);
    const mean = costOf(FULL) / count;
    const costliest = Math.max(...FULL.map(runCost));
    const heaviest = Math.max(...loads);
    console.log(`${count} shards of full: heaviest ${(heaviest / mean).toFixed(4)} × the mean, lightest ${(Math.min(...loads) / mean).toFixed(4)} ×`);
    expect(heaviest).toBeLessThanOrEqual(mean + costliest);
    expect(heaviest).toBeGreaterThanOrEqual(mean);
  });

  it('leaves the shards beyond the run count empty', () => {
    const runs = FULL.slice(0, 3);
    const shares = splitRunsIntoShares(runs, 5);
    expect(shares.map((share) => share.length)).toEqual([1, 1, 1, 0, 0]);
    expect(shares.flatMap(dirsOf).sort()).toEqual(dirsOf(runs).sort());
    expect(splitRunsIntoShares([], 2)).toEqual([[], []]);
  });

  it('refuses a shard count outside 1 … MAX_SHARD_COUNT and a plan naming a run twice', () => {
    expect(() => splitRunsIntoShares(FULL, 0)).toThrow(`the number of shards must be a whole number from 1 to ${MAX_SHARD_COUNT}, got 0`);
    expect(() => splitRunsIntoShares(FULL, MAX_SHARD_COUNT + 1)).toThrow(/got 1001$/);
    expect(() => splitRunsIntoShares(FULL, 2.5)).toThrow(/got 2\.5$/);
    expect(() => splitRunsIntoShares([FULL[0]!, FULL[0]!], 2)).toThrow('the plan names a run directory twice');
  });
});

describe('runProtocol with a share', () => {
  const small = (vocabSize: number, numTrainExamples: number): TaskSetting =>
    makeSetting('in-context-recall', { vocabSize, seqLen: 8, numTrainExamples, numTestExamples: 32 });
  const profile: ProtocolProfile = {
    name: 'shards',
    description: 'three settings at two sweep points',
    computeRelativeToFull: 1e-6,
    sweep: [
      { lr: 1e-4, weightDecay: 0 },
      { lr: 1e-3, weightDecay: 0 },
    ],
    earlyStop: false,
    stopPatience: 20,
    tasks: [{ task: 'in-context-recall', epochs: 1, settings: [small(8, 64), small(16, 128), small(32, 256)] }],
  };
  const trained: string[] = [];
  const train: TrainFunction = async (plan) => {
    trained.push(`${plan.setting.vocabSize}@${plan.training.lr}`);
    const acc = plan.setting.vocabSize / 64 + plan.training.lr;
    return { status: 'completed', bestEpoch: 0, row: { train_acc: acc, train_ppl: 2, train_loss: 1, test_acc: acc, test_ppl: 2, test_loss: 1 }, epochs: [], microBatches: 1, seconds: 0 };
  };
  const loadData = async (setting: TaskSetting): Promise<SettingData> => {
    const empty = { inputs: new Int32Array(0), targets: new Int32Array(0), count: 0, inputLength: 0 };
    return { setting, train: empty, test: empty };
  };

  it('trains only the share, scores what is stored, and the shares together give the unsharded scores', async () => {
    const runs = enumerateProtocolRuns(profile, architecture);
    const shares = splitRunsIntoShares(runs, 2).map((share) => new Set(dirsOf(share)));
    const store = new MemoryResultsStore();
    trained.length = 0;
    const first = await runProtocol({ profile, architecture, store, train, loadData, trains: (run) => shares[0]!.has(run.runDir) });
    expect(first.trained).toBe(shares[0]!.size);
    expect((await store.list()).sort()).toEqual([...shares[0]!].sort());
    expect(first.skipped).toBe(0); // the other share's runs, not stored yet, are neither trained nor scored

    const second = await runProtocol({ profile, architecture, store, train, loadData, trains: (run) => shares[1]!.has(run.runDir) });
    expect(second.trained).toBe(shares[1]!.size);
    expect(second.skipped).toBe(shares[0]!.size);
    expect(trained).toHaveLength(6);
    expect(new Set(trained).size).toBe(6);

    const unsharded = await runProtocol({ profile, architecture, store: new MemoryResultsStore(), train, loadData });
    expect(second.scores).toEqual(unsharded.scores);
  });
});
