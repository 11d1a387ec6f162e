// `mad benchmark --shard K/N` (docs/cluster.md): the flag, the share a shard trains, and what a shard
// prints. A shard sees only part of the plan finished, so it prints its own runs' results and how
// much of the plan is done, never a MAD score; `mad scores DIR` scores the whole once every shard ends.

import type { ProtocolRun } from '../../train/protocol.ts';
import { MAX_SHARD_COUNT, runCost, splitRunsIntoShares, type Shard } from '../../train/protocolShards.ts';
import type { ResultsStore } from '../../train/resultsStore.ts';
import type { ResultsRow } from '../../train/types.ts';
import { UsageError, type FlagSpecs } from '../args.ts';

export const SHARD_FLAG = {
  shard: {
    kind: 'string',
    value: 'K/N',
    help: `train share K of N (0 ≤ K < N ≤ ${MAX_SHARD_COUNT}, as Slurm array and Kubernetes completion indexes count), for N machines writing one logs directory`,
  },
} as const satisfies FlagSpecs;

/** `--shard K/N` read, or a usage error saying what to write instead. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`--shard needs K/N, two whole numbers with 0 ≤ K < N (e.g. --shard 0/4 for the first of 4 shards), got '${text}'`);
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError(`--shard K/N needs N ≥ 1 shards, got '${text}'`);
  if (count > MAX_SHARD_COUNT) throw new UsageError(`--shard K/N allows at most ${MAX_SHARD_COUNT} shards, got N = ${match[2]}`);
  if (index >= count) {
    throw new UsageError(`--shard K/N counts K from 0, so K must be below N (0/${count} … ${count - 1}/${count}), got '${text}'`);
  }
  return { index, count };
}

/** The runs shard `shard` trains: its share of every run of the plan, done or not. */
export function shareOf(runs: readonly ProtocolRun[], shard: Shard): ProtocolRun[] {
  return splitRunsIntoShares(runs, shard.count)[shard.index]!;
}

const label = (shard: Shard): string => `shard ${shard.index}/${shard.count}`;

/** One line: the share's size, its part of the plan's compute, and how much of it is done. */
export function formatShareSummary(shard: Shard, share: readonly ProtocolRun[], runs: readonly ProtocolRun[], done: ReadonlySet<string>): string {
  if (share.length === 0) {
    return `${label(shard)}: no runs, the plan has ${runs.length} run${runs.length === 1 ? '' : 's'} for ${shard.count} shards; nothing to train`;
  }
  const cost = (list: readonly ProtocolRun[]): number => list.reduce((sum, run) => sum + runCost(run), 0);
  const shareDone = share.filter((run) => done.has(run.runDir)).length;
  const percent = ((cost(share) / cost(runs)) * 100).toPrecision(3);
  return `${label(shard)}: ${share.length} of the ${runs.length} runs (${percent} % of the plan's compute): ${shareDone} done, ${share.length - shareDone} to train`;
}

/** `--plan --shard K/N`: the share's runs in the order they train, with their place in the plan. */
export function formatSharePlan(share: readonly ProtocolRun[], runs: readonly ProtocolRun[], done: ReadonlySet<string>): string {
  return share.map((run) => `  [${run.index + 1}/${runs.length}] ${run.runDir}  ${done.has(run.runDir) ? 'done' : 'to train'}`).join('\n');
}

/** A shard's closing lines, read from the store: other shards may have finished runs meanwhile. */
export async function shardEnd(store: ResultsStore & { logsDir: string }, shard: Shard, share: readonly ProtocolRun[], runs: readonly ProtocolRun[]): Promise<string> {
  const rows = new Map<string, ResultsRow>();
  for (const run of share) {
    const stored = await store.get(run.runDir);
    if (stored !== undefined) rows.set(run.runDir, stored.row);
  }
  let doneRuns = 0;
  for (const run of runs) if (await store.has(run.runDir)) doneRuns++;
  return formatShardEnd(shard, share, rows, runs.length, doneRuns, store.logsDir);
}

/**
 * A shard's closing lines: each of its runs with its test accuracy, then how many runs of the whole
 * plan are done and how to score them. `rows` holds the share's finished runs by run directory.
 */
export function formatShardEnd(shard: Shard, share: readonly ProtocolRun[], rows: ReadonlyMap<string, ResultsRow>, plannedRuns: number, doneRuns: number, logsDir: string): string {
  const lines = ['', '----', `${label(shard)}, test accuracy of its runs:`];
  for (const run of share) {
    const row = rows.get(run.runDir);
    lines.push(`  ${run.runDir}: ${row === undefined ? 'unfinished' : Number.isNaN(row.test_acc) ? 'nan (diverged)' : row.test_acc.toFixed(4)}`);
  }
  const scores = `npm run mad -- scores ${logsDir}`;
  lines.push(
    doneRuns === plannedRuns
      ? `Every one of the plan's ${plannedRuns} runs is done: ${scores} prints the MAD scores.`
      : `${doneRuns} of the plan's ${plannedRuns} runs are done; once all ${shard.count} shards finish, ${scores} prints the MAD scores.`,
  );
  return lines.join('\n');
}
