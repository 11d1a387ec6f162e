// A protocol's plan split over N machines (`mad benchmark --shard K/N`, docs/cluster.md): shard K of N
// trains share K into a logs directory all shards write. The split is a pure function of the whole
// run list (every run of the plan, done or not), so every machine computes the same shares whatever
// is already done and whichever K it runs; the shares are disjoint, so no two shards ever write the
// same run directory, and their union is the plan.

import type { ProtocolRun } from './protocol.ts';
import { computeCost, runCompute } from './protocolCompute.ts';

/** Shard `index` of `count`, counted from 0 as Slurm array task ids and Kubernetes completion indexes are. */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards a plan is split into: more than the full protocol's 396 runs, and Slurm's default MaxArraySize. */
export const MAX_SHARD_COUNT = 1000;

/** A run's upper-bound compute (src/train/protocolCompute.ts), the weight shares are balanced by. */
export function runCost(run: ProtocolRun): number {
  return computeCost(runCompute(run.plan.setting, run.plan.training.epochs));
}

/**
 * `runs` split into `count` disjoint shares balanced by compute: longest processing time first
 * (runs by decreasing cost, ties by run directory name, each to the share with the least compute
 * so far, ties to the lowest share), so no share exceeds the mean by more than one run's cost.
 * Each share keeps the plan's order. With more shares than runs, the last shares are empty.
 */
export function splitRunsIntoShares(runs: readonly ProtocolRun[], count: number): ProtocolRun[][] {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARD_COUNT) {
    throw new Error(`the number of shards must be a whole number from 1 to ${MAX_SHARD_COUNT}, got ${count}`);
  }
  const names = new Set(runs.map((run) => run.runDir));
  if (names.size !== runs.length) throw new Error('the plan names a run directory twice: its runs cannot be split into disjoint shares');
  const byCost = runs.map((run) => ({ run, cost: runCost(run) }));
  byCost.sort((a, b) => b.cost - a.cost || (a.run.runDir < b.run.runDir ? -1 : a.run.runDir > b.run.runDir ? 1 : 0));
  const loads = new Array<number>(count).fill(0);
  const shares: ProtocolRun[][] = Array.from({ length: count }, () => []);
  for (const { run, cost } of byCost) {
    let lightest = 0;
    for (let s = 1; s < count; s++) if (loads[s]! < loads[lightest]!) lightest = s;
    loads[lightest] = loads[lightest]! + cost;
    shares[lightest]!.push(run);
  }
  for (const share of shares) share.sort((a, b) => a.index - b.index);
  return shares;
}
