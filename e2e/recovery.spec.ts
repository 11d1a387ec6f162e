// Runs that always recover, in the production build on WebGPU (SwiftShader here). Cancel ends a
// run whose worker is stuck in synchronous data generation (the page's test-only ?holdDataMs flag
// holds the first worker's thread, as a huge setting does): the worker is terminated, the run
// shows cancelled, and the next run trains on a fresh worker. A run whose checkpoints hit a full
// IndexedDB (Chromium's per-origin quota, lowered over CDP) trains to its last epoch with a
// "Checkpoints paused" warning, and its results row equals that of the same run without a limit.
// A run cancelled mid-training keeps its checkpoint and continues from it.
import { expect, test, type Page } from '@playwright/test';

const EPOCHS = 4;
/** Small enough that a checkpoint of the tiny model (a few tens of KB) soon finds no room. */
const QUOTA_BYTES = 250 * 1024;

const runItems = (page: Page) => page.getByTestId('run-item');
const newestRun = (page: Page) => runItems(page).first();

async function openRunsPage(page: Page, search = ''): Promise<void> {
  await page.goto(`/${search}#/runs`);
  // Enabled once the run controller holds the runner lock and has restored stored runs.
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 20_000 });
}

/** Launches the tiny in-context recall run of e2e/runs.spec.ts: V 8, L 16, 256 + 64 examples, a checkpoint every epoch. */
async function launchTinyRun(page: Page, epochs = EPOCHS): Promise<void> {
  const before = await runItems(page).count();
  await page.getByLabel('Task', { exact: true }).selectOption('in-context-recall');
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Tiny attention + SwiGLU (d 16)' });
  const fields: [string, string][] = [
    ['Vocabulary', '8'],
    ['Sequence length', '16'],
    ['Training examples', '256'],
    ['Test examples', '64'],
    ['Epochs', String(epochs)],
    ['Learning rate', '0.01'],
    ['Batch size', '32'],
    ['Seed', '11'],
    ['Checkpoint every (epochs)', '1'],
  ];
  for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runItems(page)).toHaveCount(before + 1);
}

async function resultRow(page: Page, index: number): Promise<Record<string, number | null>> {
  const row = await runItems(page).nth(index).getByTestId('run-result').getAttribute('data-row');
  if (row === null) throw new Error(`run ${index} shows no results row`);
  return JSON.parse(row) as Record<string, number | null>;
}

test('Cancel ends a run whose worker is stuck generating data, and the next run trains on a fresh worker', async ({ page }) => {
  test.setTimeout(90_000);
  // The first worker's thread is busy for two minutes before generating data: it cannot see Cancel.
  await openRunsPage(page, '?holdDataMs=120000');
  await launchTinyRun(page);
  const stuck = newestRun(page);
  await expect(stuck.getByTestId('run-status')).toHaveText('preparing data and model', { timeout: 20_000 });

  await stuck.getByRole('button', { name: /^Cancel / }).click();
  // The pool gives the worker a 2 s grace period, then terminates it.
  await expect(stuck.getByTestId('run-status')).toHaveText('cancelled', { timeout: 15_000 });
  await expect(stuck.getByRole('button', { name: /^Start .* again$/ })).toBeVisible();

  await launchTinyRun(page);
  const next = newestRun(page);
  await expect(next.getByTestId('run-status')).toHaveText('training', { timeout: 30_000 });
  await expect(next.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect(runItems(page).nth(1).getByTestId('run-status')).toHaveText('cancelled');
});

test('a run whose checkpoints find IndexedDB full trains to its last epoch with a warning, and its results equal an unlimited run’s', async ({ page }) => {
  test.setTimeout(90_000);
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await openRunsPage(page);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA_BYTES });

  await launchTinyRun(page);
  const limited = newestRun(page);
  const warning = limited.getByTestId('run-save-warning');
  await expect(warning).toContainText('Checkpoints paused: storage is full', { timeout: 60_000 });
  await expect(warning).toContainText('free disk space or remove old runs');
  await expect(limited.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect(limited.locator('.run-facts')).toContainText(`epoch ${EPOCHS} of ${EPOCHS}`);
  // Once finished, what is left to say is only about the model (predictions), never about checkpoints.
  await expect(warning.filter({ hasText: 'Checkpoints paused' })).toHaveCount(0);

  // The same run without the limit.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await launchTinyRun(page);
  const unlimited = newestRun(page);
  await expect(unlimited.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect(unlimited.getByTestId('run-save-warning')).toHaveCount(0);

  const [unlimitedRow, limitedRow] = [await resultRow(page, 0), await resultRow(page, 1)];
  expect(Object.keys(limitedRow)).toHaveLength(6);
  expect(limitedRow).toEqual(unlimitedRow);
  expect(consoleErrors).toEqual([]);
});

test('a run cancelled mid-training keeps its checkpoint and continues from it', async ({ page }) => {
  test.setTimeout(90_000);
  const epochs = 10;
  await openRunsPage(page);
  await launchTinyRun(page, epochs);
  const run = newestRun(page);
  await expect(run.getByTestId('run-checkpoint')).toBeVisible({ timeout: 60_000 });
  await run.getByRole('button', { name: /^Cancel / }).click();
  await expect(run.getByTestId('run-status')).toHaveText('cancelled', { timeout: 15_000 });

  // Saved after epoch N (1-based), it continues from epoch N + 1.
  const saved = Number(/saved after epoch (\d+)/.exec((await run.getByTestId('run-checkpoint').textContent()) ?? '')?.[1]);
  expect(saved).toBeGreaterThanOrEqual(1);
  const continueButton = run.getByRole('button', { name: new RegExp(`^Continue .* from epoch ${saved + 1}$`) });
  await expect(continueButton).toHaveText(`Continue from epoch ${saved + 1}`);
  await continueButton.click();
  await expect(run.getByTestId('run-resumed')).toHaveText(` · continued from the checkpoint after epoch ${saved}`, { timeout: 30_000 });
  await expect(run.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  await expect(runItems(page)).toHaveCount(1);
});
