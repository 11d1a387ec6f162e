// End to end through the command line on this machine's GPU (SwiftShader in CI): a two-task toy
// protocol trains, prints its task scores and the mean, leaves mad-lab-readable results.csv files,
// a second invocation trains nothing, and `mad scores` on the same logs prints the same scores.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRunDirName } from '../../train/runKey.ts';
import { parseResultsCsv } from '../../train/fileResultsStore.ts';
import { RESULTS_COLUMNS } from '../../train/types.ts';
import { buildDataset } from '../../tasks/dataset.ts';
import { SettingDataError, writeSettingDir } from '../../tasks/madDataDir.ts';
import { makeSetting } from '../../tasks/settings.ts';
import { UsageError } from '../args.ts';
import { benchmarkCommand } from './benchmark.ts';
import { scoresCommand } from './scores.ts';

const PROFILE = fileURLToPath(new URL('./benchmarkTiny.yml', import.meta.url));

/** Runs the command and returns its exit code and what it printed to stdout. */
async function runCli(argv: string[], command = benchmarkCommand): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    const code = await command.run(argv);
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
    // --skip-gpu-check: the gate has its own test (gpuCheck.test.ts) and would write to the user's cache.
    const argv = ['--profile-file', PROFILE, '--layers', 'hyena', 'swiglu', '--dim', '16', '--logs-path', logs, '--skip-gpu-check'];
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

    // The same logs, scored as a logs directory: the same block, and the same numbers as JSON.
    const scored = await runCli([logs], scoresCommand);
    expect(scored.code).toBe(0);
    expect(scored.out).toBe(first.out.slice(first.out.lastIndexOf('\n----')));
    const json = JSON.parse((await runCli([logs, '--json'], scoresCommand)).out) as { models: { modelId: string; tasks: Record<string, { score: number }>; mean: number }[] };
    expect(json.models).toHaveLength(1);
    expect(json.models[0]!.modelId).toBe('H-Sg');
    expect(json.models[0]!.tasks['in-context-recall']!.score).toBe(recall);
    expect(json.models[0]!.tasks.memorization!.score).toBe(memorization);
    expect(json.models[0]!.mean).toBe((recall + memorization) / 2);
  });

  it('refuses data from --data-path that fail the data check before their run starts: no run directory, no results', async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-benchmark-'));
    const data = buildDataset(makeSetting('in-context-recall', { vocabSize: 8, seqLen: 8, numTrainExamples: 256, numTestExamples: 64 }));
    data.train.inputs[5] = -7;
    writeSettingDir(join(logs, 'data'), data);
    const run = runCli(['--profile-file', PROFILE, '--layers', 'hyena', 'swiglu', '--dim', '16', '--logs-path', join(logs, 'runs'), '--data-path', join(logs, 'data'), '--skip-gpu-check']);
    await expect(run).rejects.toThrow(SettingDataError);
    await expect(run).rejects.toThrow(/train\/inputs\.npy: token -7 at row 0, position 5 is outside \[0, 8\)/);
    expect(readdirSync(logs)).toEqual(['data']);
  });

  it('refuses a benchmark whose runs cannot fit the memory budget, before any run directory', async () => {
    logs = mkdtempSync(join(tmpdir(), 'mad-benchmark-'));
    const run = runCli(['--profile-file', PROFILE, '--layers', 'hyena', 'swiglu', '--dim', '16', '--logs-path', logs, '--memory-budget', '64KiB']);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/^Training needs .* over the memory budget of 64\.0 KiB: .* \(run t-CR_vs-8_sl-8_.*\) Training needs .* \(run t-M_vs-16_sl-8_.*\)$/);
    expect(readdirSync(logs)).toEqual([]);
  });
});
