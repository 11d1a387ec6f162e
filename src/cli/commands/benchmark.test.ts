// End to end through the command line on this machine's GPU (SwiftShader in CI): a two-task toy
// protocol trains, prints its task scores and the mean, leaves mad-lab-readable results.csv files,
// and a second invocation trains nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRunDirName } from '../../train/runKey.ts';
import { parseResultsCsv } from '../../train/fileResultsStore.ts';
import { RESULTS_COLUMNS } from '../../train/types.ts';
import { benchmarkCommand } from './benchmark.ts';

const PROFILE = fileURLToPath(new URL('./benchmarkTiny.yml', import.meta.url));

/** Runs the command and returns its exit code and what it printed to stdout. */
async function runCli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    const code = await benchmarkCommand.run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

let logs: string | undefined;
afterEach(() => {
  if (logs) rmSync(logs, { recursive: true, force: true });
  logs = undefined;
});

describe('mad benchmark', () => {
  it('runs a tiny two-task protocol, prints task scores, and recomputes nothing the second time', { timeout: 180_000 }, async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-benchmark-'));
    const argv = ['--profile-file', PROFILE, '--layers', 'hyena', 'swiglu', '--dim', '16', '--logs-path', logs];
    const first = await runCli(argv);
    expect(first.code).toBe(0);
    expect(first.out).toContain('2 runs: 0 done, 2 to train');

    const runDirs = readdirSync(logs).sort();
    expect(runDirs.map((d) => parseRunDirName(d).setting.task).sort()).toEqual(['in-context-recall', 'memorization']);
    const testAcc: Record<string, number> = {};
    for (const dir of runDirs) {
      const text = readFileSync(join(logs, dir, 'results.csv'), 'utf8');
      expect(text.split('\n')[0]).toBe(RESULTS_COLUMNS.join(','));
      const row = parseResultsCsv(text, dir);
      for (const column of RESULTS_COLUMNS) expect(Number.isFinite(row[column]), `${dir} ${column}`).toBe(true);
      expect(row.test_acc).toBeGreaterThanOrEqual(0);
      expect(row.test_acc).toBeLessThanOrEqual(1);
      testAcc[parseRunDirName(dir).setting.task] = row.test_acc;
    }
    // One setting and one sweep point per task: each task's score is its run's test accuracy.
    const recall = testAcc['in-context-recall']!;
    const memorization = testAcc.memorization!;
    expect(first.out).toContain(`\n  in-context-recall: ${recall.toFixed(4)}\n  memorization: ${memorization.toFixed(4)}\n`);
    expect(first.out).toContain(`Mean across Tasks: ${((recall + memorization) / 2).toFixed(4)}`);

    const second = await runCli(argv);
    expect(second.code).toBe(0);
    expect(second.out).toContain('2 runs: 2 done, 0 to train');
    expect(second.out).not.toContain('adapter:');
    expect(second.out.slice(second.out.indexOf('----'))).toBe(first.out.slice(first.out.indexOf('----')));
  });
});
