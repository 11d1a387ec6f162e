// Runs the training gate's GPU check once for the whole e2e suite: the production build is opened
// on the Runs page, whose launcher starts the real gate check on SwiftShader, and the check's kept
// result (localStorage `mad-lab-gpu-check:<adapter | build>`) is saved as the storage state every
// spec starts from (playwright.config.ts `use.storageState`), so no spec pays the check again.
// Only that entry is saved: the specs otherwise start from empty storage, as before. The entry carries
// the adapter's measured training speed, so the specs see measured estimates from the start.
// e2e/gpucheck.spec.ts starts from empty storage where it needs an unchecked adapter.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium, type FullConfig } from '@playwright/test';

const PREFIX = 'mad-lab-gpu-check:';

interface KeptReport {
  failedKernels: string[];
  results: unknown[];
  seconds: number;
  /** The adapter's measured training speed: the classroom's and the launcher's estimates read it. */
  speed?: { flopsPerSecond: number; stepOverheadSeconds: number } | null;
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const { baseURL, storageState, launchOptions } = config.projects[0]!.use;
  if (typeof storageState !== 'string') throw new Error('globalSetup: use.storageState must name the file the GPU check state is saved to');
  const start = performance.now();
  const browser = await chromium.launch(launchOptions);
  try {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto('/#/runs');
    // The gate keeps its result once every check has run, and again with the training speed timed
    // after a pass; a failure is kept too (and named here).
    const kept = await page.waitForFunction(
      (prefix) => {
        const key = Object.keys(localStorage).find((k) => k.startsWith(prefix));
        const text = key === undefined ? null : localStorage.getItem(key);
        if (text === null) return null;
        const report = JSON.parse(text) as { failedKernels: string[]; speed?: unknown };
        return report.failedKernels.length > 0 || report.speed ? text : null;
      },
      PREFIX,
      { timeout: 120_000, polling: 250 },
    );
    const report = JSON.parse((await kept.jsonValue()) as string) as KeptReport;
    if (report.failedKernels.length > 0) throw new Error(`globalSetup: the GPU check failed on this browser's adapter for ${report.failedKernels.join(', ')}`);
    if (!(report.speed && report.speed.flopsPerSecond > 0 && Number.isFinite(report.speed.flopsPerSecond))) {
      throw new Error(`globalSetup: the GPU check kept no training speed (${JSON.stringify(report.speed)})`);
    }
    const state = await context.storageState();
    const origins = state.origins.map((origin) => ({ ...origin, localStorage: origin.localStorage.filter((entry) => entry.name.startsWith(PREFIX)) }));
    await mkdir(dirname(storageState), { recursive: true });
    await writeFile(storageState, JSON.stringify({ cookies: [], origins }, null, 2));
    const speed = `${(report.speed.flopsPerSecond / 1e9).toFixed(2)} GFLOP/s + ${(report.speed.stepOverheadSeconds * 1000).toFixed(1)} ms per step`;
    console.log(
      `globalSetup: the gate's GPU check (${report.results.length} checks and the training speed, ${speed}) passed in ${report.seconds.toFixed(1)} s ` +
        `in the worker and was saved in ${((performance.now() - start) / 1000).toFixed(1)} s`,
    );
  } finally {
    await browser.close();
  }
}
