// Oversized requests as a user types them: the real CLI in a child process must refuse each with
// the size policy's or the memory plan's message and exit code 2, within a 10 s watchdog and under
// 1 GB of peak resident memory (measured in the child by testing/peakMemory.ts), where it once
// grew to gigabytes in silence.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mad-size-limits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const WATCHDOG_MS = 10_000;
const PEAK_LIMIT_BYTES = 1e9;

let children = 0;
/** Runs `mad …` under node with the peak-memory probe; a child still running after the watchdog is killed. */
function mad(...args: string[]): { status: number | null; signal: NodeJS.Signals | null; stderr: string; peakBytes: number; seconds: number } {
  const peakFile = join(scratch, `peak-${children++}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', './src/cli/testing/peakMemory.ts', 'src/cli/mad.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: WATCHDOG_MS,
    env: { ...process.env, MAD_DEBUG: '', MAD_PEAK_RSS_FILE: peakFile },
  });
  const seconds = (performance.now() - started) / 1000;
  const peakBytes = result.signal === null ? Number(readFileSync(peakFile, 'utf8')) : NaN;
  console.log(`mad ${args.join(' ')}: exit ${result.status}${result.signal ? ` (${result.signal})` : ''}, ${seconds.toFixed(2)} s, peak ${(peakBytes / 1e6).toFixed(0)} MB`);
  return { status: result.status, signal: result.signal, stderr: result.stderr, peakBytes, seconds };
}

describe('the CLI refuses oversized requests at once, in little memory', () => {
  it.each([
    [['info', '--layers', 'mlp', '--dim', '16', '--vocab-size', '100000000'], /^mad info: Vocabulary size 100,000,000 is over the limit of 131,072 \(16× MAD's largest vocabulary \(8,192\)\): use a smaller vocabulary\. /],
    [['train', '--vocab-size', '2147483648'], /^mad train: Vocabulary size 2,147,483,648 is over the limit of 131,072 .*: use a smaller vocabulary\. /],
    [['benchmark', '--profile', 'quick', '--dim', '4096', '--logs-path', join(scratch, 'logs')], /^mad benchmark: Model width 4,096 is over the limit of 2,048 .*: use a narrower model /],
    [['benchmark', '--profile', 'quick', '--memory-budget', '1MiB', '--logs-path', join(scratch, 'logs')], /^mad benchmark: The data take 13\.6 MiB .* over the memory budget of 1\.0 MiB: .*--memory-budget/],
    [['data', '--task', 'memorization', '--seq-len', '16384', '--num-train-examples', '204800', '--out', join(scratch, 'data')], /^mad data: The data take 25\.16 GiB .* over the memory budget of 1\.00 GiB/],
  ])('mad %j exits 2 with the limit', (args, message) => {
    const run = mad(...args);
    expect(run.signal, 'killed by the watchdog').toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.peakBytes).toBeLessThan(PEAK_LIMIT_BYTES);
  }, 4 * WATCHDOG_MS);

  it('answers `info` at the largest vocabulary and width the policy allows', () => {
    const run = mad('info', '--layers', 'mlp', 'mlp', '--dim', '2048', '--vocab-size', '131072', '--seq-len', '16384');
    expect(run.signal, 'killed by the watchdog').toBeNull();
    expect(run.status).toBe(0);
    expect(run.peakBytes).toBeLessThan(PEAK_LIMIT_BYTES);
  }, 4 * WATCHDOG_MS);
});
