// The CLI's GPU check gate on this machine's GPU (SwiftShader in CI), against a temporary cache
// directory (never the user's): the first call checks and keeps a pass, the second reads it, a
// planted fault fails naming the kernel whatever was kept, and `mad train --skip-gpu-check` trains
// without the gate ever running.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GATE_KERNELS, kernelNames, suiteChecks } from '../engine/ops/checkSuite.ts';
import { trainCommand } from './commands/train.ts';
import { loadProtocol } from '../config/protocolDisk.ts';
import { architectureFromLayers } from '../model/architecture.ts';
import { formatPlanTime } from './commands/benchmark.ts';
import { assertGpuChecked, cachedAdapterSpeed, gpuCheckCacheDir } from './gpuCheck.ts';

const dir = mkdtempSync(join(tmpdir(), 'mad-gpu-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the CLI GPU check gate', () => {
  it('--plan says the wall time is not measured yet when no speed is kept', () => {
    expect(cachedAdapterSpeed(join(dir, 'none'))).toBeNull();
    expect(formatPlanTime(loadProtocol('quick'), architectureFromLayers(['mlp'], { dim: 16 }), null)).toMatch(/^estimated wall time: not measured yet/);
  });

  it("checks each of the gate's kernels once; the page's quick check covers every kernel", () => {
    expect(suiteChecks('gate').map((c) => c.kernel).sort()).toEqual([...GATE_KERNELS].sort());
    expect(suiteChecks('quick').map((c) => c.kernel)).toEqual(kernelNames());
    expect(suiteChecks('full').length).toBeGreaterThan(suiteChecks('quick').length);
  });

  it('passes on the test GPU, keeps the pass, and does not check again', async () => {
    const lines: string[] = [];
    const start = performance.now();
    await assertGpuChecked({ cacheDir: dir, log: (line) => lines.push(line) });
    console.log(`${lines.join('\n')} (gate ${((performance.now() - start) / 1000).toFixed(1)} s)`);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^GPU check: ${GATE_KERNELS.length} kernel checks passed on this adapter and its training speed measured \\(.* GFLOP/s`))]);
    expect(readdirSync(dir)).toHaveLength(1);
    const again: string[] = [];
    await assertGpuChecked({ cacheDir: dir, log: (line) => again.push(line) });
    expect(again).toEqual([]);
    // The pass keeps the measured speed, read back without a GPU for `mad benchmark --plan`.
    const cached = cachedAdapterSpeed(dir)!;
    expect(Number.isFinite(cached.speed.flopsPerSecond) && cached.speed.flopsPerSecond > 0).toBe(true);
    const plan = formatPlanTime(loadProtocol('quick'), architectureFromLayers(['mlp'], { dim: 16 }), cached);
    expect(plan).toMatch(new RegExp(`^estimated wall time: \\d+ (s|min|h \\d+ min) on ${cached.adapter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at [\\d.]+ GFLOP/s \\+ [\\d.]+ ms per step`));
  }, 120_000);

  it('stops with the kernel of a planted fault, whatever was kept', async () => {
    await expect(assertGpuChecked({ cacheDir: dir, fault: 'crossEntropy', log: () => {} })).rejects.toThrow(
      /for the kernel crossEntropy \(.*npm run mad -- selftest/,
    );
  }, 120_000);

  it('mad train --skip-gpu-check trains without running the gate', { timeout: 120_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'mad-gpu-check-cache-'));
    try {
      vi.stubEnv('XDG_CACHE_HOME', cache);
      const lines: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
      const setting = ['--task', 'memorization', '--vocab-size', '16', '--seq-len', '8', '--num-train-examples', '16', '--num-test-examples', '8'];
      const argv = [...setting, '--layers', 'mlp', '--dim', '8', '--batch-size', '8', '--epochs', '1', '--log-base-path', join(cache, 'logs')];
      expect(await trainCommand.run([...argv, '--skip-gpu-check'])).toBe(0);
      expect(lines.join('\n')).toContain('train_acc');
      expect(lines.join('\n')).not.toContain('GPU check');
      // Without the flag the gate would keep its pass here (the test above checks that it does).
      expect(existsSync(gpuCheckCacheDir())).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
