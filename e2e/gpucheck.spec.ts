// The GPU check page in the production build on WebGPU (SwiftShader here): the quick check runs in
// its worker to completion with every check passing, then its small benchmark (a row per kernel
// and one training step), and its downloaded report parses as JSON with the adapter, a figure for
// every kernel check and one for every benchmark. A planted fault (?gpucheck-fault=KERNEL, which corrupts
// that kernel's results) makes the training gate block the Run button, naming the kernel, even
// where a pass is kept (every spec starts from the pass e2e/globalSetup.ts kept).
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

interface ReportJson {
  identity: { adapter: string; key: string; limits: Record<string, number> };
  results: { kernel: string; ok: boolean; maxAbsDiff: number | null }[];
  benchmarks: { name: string; shape: string; msPerRun: number; gflops: number }[];
  stepBenchmarks: { architecture: string; msPerStep: number; tokensPerSecond: number; gflops: number }[];
  failedKernels: string[];
}

test.describe('on an adapter not yet checked', () => {
  // Empty storage: the page shows no kept result, so the summary below is this run's.
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the quick GPU check passes on SwiftShader and its report names the adapter and every kernel', async ({ page }) => {
    await page.goto('/#/explorer');
    await page.getByRole('link', { name: 'Check this GPU’s kernels' }).click();
    await expect(page.getByTestId('gpu-check-adapter')).toContainText('Adapter:', { timeout: 20_000 });
    await page.getByRole('radio', { name: /Quick/ }).check();
    await page.getByRole('button', { name: 'Run check' }).click();
    await expect(page.getByTestId('gpu-check-summary')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('gpu-check-summary')).toHaveAttribute('data-failed', '0');
    await expect(page.getByRole('heading', { name: 'Every check passed' })).toBeVisible();
    // The small benchmark: matmul, fused attention, FFT convolution, selective scan; one training step.
    const kernelRows = page.getByTestId('gpu-benchmark-kernels').locator('tbody tr');
    await expect(kernelRows).toHaveCount(4);
    for (const name of ['matmul forward', 'fused attention forward + backward', 'FFT convolution forward + backward', 'selective scan forward + backward']) {
      await expect(kernelRows.filter({ hasText: name })).toHaveCount(1);
    }
    await expect(page.getByTestId('gpu-benchmark-steps').locator('tbody tr')).toHaveCount(1);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download JSON' }).click();
    const report = JSON.parse(await readFile(await (await download).path(), 'utf8')) as ReportJson;
    expect(report.identity.adapter.toLowerCase()).toContain('swiftshader');
    expect(report.identity.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(report.failedKernels).toEqual([]);
    const kernels = report.results.map((r) => r.kernel);
    expect(new Set(kernels).size).toBe(kernels.length);
    expect(kernels).toEqual(expect.arrayContaining(['matmul', 'flashAttention', 'selectiveScan', 'fftConv', 'adamw']));
    for (const r of report.results) {
      expect(r.ok).toBe(true);
      expect(typeof r.maxAbsDiff).toBe('number');
    }
    expect(report.benchmarks).toHaveLength(4);
    for (const b of report.benchmarks) {
      expect(b.msPerRun).toBeGreaterThan(0);
      expect(b.gflops).toBeGreaterThan(0);
    }
    expect(report.stepBenchmarks).toHaveLength(1);
    for (const s of report.stepBenchmarks) {
      expect(s.msPerStep).toBeGreaterThan(0);
      expect(s.tokensPerSecond).toBeGreaterThan(0);
      expect(s.gflops).toBeGreaterThan(0);
    }
  });
});

test('a kernel that fails its check blocks the Run button, naming the kernel', async ({ page }) => {
  await page.goto('/?gpucheck-fault=matmul#/runs');
  // The pass globalSetup kept is there, and the fault overrides it.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mad-lab-gpu-check:')))).toHaveLength(1);
  const blocked = page.getByTestId('gpu-gate-blocked');
  await expect(blocked).toContainText('matmul', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await expect(blocked.getByRole('link', { name: 'Open the GPU check' })).toHaveAttribute('href', '#/gpu-check');
});
