// `mad benchmark --shard K/N` as a cluster runs it: N processes writing one logs directory. A six-run
// toy profile trained by 3 shards in parallel child processes leaves the same run directories and
// byte-identical results.csv files (so the same scores) as one unsharded process; a shard killed
// mid-run and run again redoes its unfinished runs from scratch and completes the set.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadProtocolFile } from '../../config/protocolDisk.ts';
import { architectureFromLayers } from '../../model/architecture.ts';
import { enumerateProtocolRuns } from '../../train/protocol.ts';
import { UsageError, type Command } from '../args.ts';
import { benchmarkCommand } from './benchmark.ts';
import { parseShard, shareOf } from './benchmarkShard.ts';
import { scoresCommand } from './scores.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PROFILE = fileURLToPath(new URL('./benchmarkShardsTiny.yml', import.meta.url));
/** One layer at width 16: each process spends its seconds on startup and shader compilation, not training. */
const MODEL = ['--layers', 'mlp', '--dim', '16'];
const RUNS = enumerateProtocolRuns(loadProtocolFile(PROFILE), architectureFromLayers(['mlp'], { dim: 16 }));
const SHARDS = 3;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `mad benchmark …` in a child process: one node process (tsx as a loader, not tsx's own CLI, which
 * would put a second process under it that a kill would orphan). `onStdout` sees the output so far.
 * --skip-gpu-check: the gate has its own test (gpuCheck.test.ts) and would write to the user's cache.
 */
function benchmark(logs: string, extra: string[], onStdout?: (stdout: string, kill: () => void) => void): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/mad.ts', 'benchmark', '--profile-file', PROFILE, ...MODEL, '--logs-path', logs, '--skip-gpu-check', ...extra], {
    cwd: REPO,
    env: { ...process.env, MAD_DEBUG: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout?.(stdout, () => child.kill('SIGKILL'));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every run directory of `logs` that holds a results.csv, with its text. */
function finishedRuns(logs: string): Map<string, string> {
  const runs = new Map<string, string>();
  for (const dir of readdirSync(logs).sort()) {
    const csv = join(logs, dir, 'results.csv');
    if (existsSync(csv)) runs.set(dir, readFileSync(csv, 'utf8'));
  }
  return runs;
}

/** A command run in this process (no GPU is touched by what is run so), and what it printed. */
async function inProcess(command: Command, argv: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    expect(await command.run(argv)).toBe(0);
    return lines.join('\n');
  } finally {
    log.mockRestore();
  }
}

const scoresOf = (logs: string): Promise<string> => inProcess(scoresCommand, [logs]);

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('mad benchmark --shard', () => {
  it('reads K/N as Slurm and Kubernetes count, and refuses anything else saying what to write', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('41/42')).toEqual({ index: 41, count: 42 });
    expect(() => parseShard('1-3')).toThrow(UsageError);
    expect(() => parseShard('1-3')).toThrow("--shard needs K/N, two whole numbers with 0 ≤ K < N (e.g. --shard 0/4 for the first of 4 shards), got '1-3'");
    expect(() => parseShard('-1/3')).toThrow(/needs K\/N/);
    expect(() => parseShard('1.5/3')).toThrow(/needs K\/N/);
    expect(() => parseShard('0/0')).toThrow("--shard K/N needs N ≥ 1 shards, got '0/0'");
    expect(() => parseShard('3/3')).toThrow("--shard K/N counts K from 0, so K must be below N (0/3 … 2/3), got '3/3'");
    expect(() => parseShard('0/1001')).toThrow('--shard K/N allows at most 1000 shards, got N = 1001');
  });

  it('lists a share with --plan, and leaves a shard beyond the run count nothing to do, creating nothing', async () => {
    root = mkdtempSync(join(tmpdir(), 'mad-shards-'));
    const logs = join(root, 'logs');
    const argv = ['--profile-file', PROFILE, ...MODEL, '--logs-path', logs];
    const plan = await inProcess(benchmarkCommand, [...argv, '--shard', '1/3', '--plan']);
    const share = shareOf(RUNS, { index: 1, count: 3 });
    expect(plan).toContain(`shard 1/3: 2 of the 6 runs (36.7 % of the plan's compute): 0 done, 2 to train\n`);
    // The share's runs, then the wall-time estimate (measured or "not measured yet", by this machine's GPU check cache).
    const lines = plan.split('\n');
    expect(lines.slice(0, -1).join('\n').endsWith(share.map((run) => `  [${run.index + 1}/6] ${run.runDir}  to train`).join('\n'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^estimated wall time: /);
    const empty = await inProcess(benchmarkCommand, [...argv, '--shard', '8/9']);
    expect(empty.split('\n').at(-1)).toBe('shard 8/9: no runs, the plan has 6 runs for 9 shards; nothing to train');
    expect(existsSync(logs)).toBe(false);
    await expect(benchmarkCommand.run([...argv, '--shard', '3/3'])).rejects.toThrow(UsageError);
  });

  it('trains the plan as 3 parallel shards exactly as one process does, and a killed shard run again completes it', { timeout: 240_000 }, async () => {
    root = mkdtempSync(join(tmpdir(), 'mad-shards-'));
    const [whole, sharded, killed] = ['whole', 'sharded', 'killed'].map((name) => join(root!, name));
    const shares = Array.from({ length: SHARDS }, (_, index) => shareOf(RUNS, { index, count: SHARDS }).map((run) => run.runDir));
    expect(shares.map((share) => share.length)).toEqual([2, 2, 2]);

    // One unsharded process and the three shards, all at once.
    const [unsharded, ...shards] = await Promise.all([benchmark(whole, []), ...shares.map((_, k) => benchmark(sharded, ['--shard', `${k}/${SHARDS}`]))]);
    for (const exit of [unsharded, ...shards]) expect(exit.code, exit.stderr).toBe(0);
    const expected = finishedRuns(whole);
    expect([...expected.keys()]).toEqual(RUNS.map((run) => run.runDir).sort());
    expect(finishedRuns(sharded)).toEqual(expected);
    const scores = await scoresOf(whole);
    expect(scores).toBe(unsharded.stdout.slice(unsharded.stdout.lastIndexOf('\n----')).trimEnd());
    expect(await scoresOf(sharded)).toBe(scores);

    shards.forEach((exit, k) => {
      expect(exit.stdout).toContain(`shard ${k}/3: 2 of the 6 runs`);
      const end = exit.stdout.slice(exit.stdout.lastIndexOf('\n----'));
      expect(end.match(/^ {2}\S+(?=: )/gm)?.map((line) => line.trim())).toEqual(shares[k]);
      // No score from part of the runs: neither a task's (onTaskScored) nor the closing block.
      expect(exit.stdout).not.toMatch(/: MAD score |MAD scores for each synthetic task|Mean across Tasks/);
    });
    // Whichever shard ends last sees every run done.
    expect(shards.some((exit) => exit.stdout.includes(`Every one of the plan's 6 runs is done: npm run mad -- scores ${sharded} prints the MAD scores.`))).toBe(true);

    // Shards 0 and 2 done; shard 1 killed once its first run has started (its run.json written, the
    // GPU acquired for its training), so at least its second run is unfinished.
    mkdirSync(killed);
    for (const dir of [...shares[0]!, ...shares[2]!]) cpSync(join(sharded, dir), join(killed, dir), { recursive: true });
    const cut = await benchmark(killed, ['--shard', `1/${SHARDS}`], (stdout, kill) => {
      if (/^adapter: /m.test(stdout)) kill();
    });
    expect(cut.signal).toBe('SIGKILL');
    const unfinished = shares[1]!.filter((dir) => !finishedRuns(killed).has(dir));
    expect(unfinished.length).toBeGreaterThan(0);
    // What a process killed while writing results.csv leaves beside it (fileResultsStore.ts writes it by rename).
    for (const dir of unfinished) {
      mkdirSync(join(killed, dir), { recursive: true });
      writeFileSync(join(killed, dir, 'results.csv.partial-1'), 'train_acc,train_ppl\n0.5,');
    }
    const again = await benchmark(killed, ['--shard', `1/${SHARDS}`]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`shard 1/3: 2 of the 6 runs (36.7 % of the plan's compute): ${2 - unfinished.length} done, ${unfinished.length} to train`);
    for (const dir of unfinished) expect(readdirSync(join(killed, dir)).sort()).toEqual(['results.csv', 'run.json']);
    expect(finishedRuns(killed)).toEqual(expected);
    expect(again.stdout).toContain(`Every one of the plan's 6 runs is done: npm run mad -- scores ${killed} prints the MAD scores.`);
  });
});
