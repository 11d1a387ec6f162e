// The Runs page in the production build, training for real in a Web Worker on WebGPU (SwiftShader
// here): a tiny in-context recall run streams loss points into its chart, survives a reload in the
// middle of training by continuing from its last IndexedDB checkpoint (not from epoch 0), and on
// finishing fills the results table and the MAD radar.
import { expect, test, type Page } from '@playwright/test';

const EPOCHS = 10;

const runItem = (page: Page) => page.getByTestId('run-item').first();
const lossChart = (page: Page) => page.getByTestId('chart-loss');

/** Points the loss chart holds (its data attribute) and the SVG dots it drew for the epoch means. */
async function lossPoints(page: Page): Promise<{ data: number; dots: number }> {
  const data = Number(await lossChart(page).getAttribute('data-points'));
  const dots = await lossChart(page).locator('.chart-dot').count();
  return { data, dots };
}

/** The epoch the run list says training has reached ("epoch 3 of 10" → 3). */
async function epochShown(page: Page): Promise<number> {
  const text = (await runItem(page).locator('.run-facts').textContent()) ?? '';
  const match = /epoch (\d+) of (\d+)/.exec(text);
  if (!match) throw new Error(`no epoch in "${text}"`);
  return Number(match[1]);
}

async function openRunsPage(page: Page): Promise<void> {
  await page.goto('/#/runs');
  // Enabled once the run controller holds the runner lock and has restored stored runs.
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 20_000 });
}

test('a tiny run streams metrics from the worker, survives a reload mid-run and fills the radar', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await openRunsPage(page);
  await expect(page.getByTestId('run-item')).toHaveCount(0);

  await page.getByLabel('Task', { exact: true }).selectOption('in-context-recall');
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Tiny attention + SwiGLU (d 16)' });
  await page.getByLabel('Vocabulary').fill('8');
  await page.getByLabel('Sequence length').fill('16');
  await page.getByLabel('Training examples').fill('256');
  await page.getByLabel('Test examples').fill('64');
  await page.getByLabel('Epochs', { exact: true }).fill(String(EPOCHS));
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Batch size').fill('32');
  await page.getByLabel('Checkpoint every (epochs)').fill('1');
  // The stored gate result carries this adapter's measured speed (e2e/globalSetup.ts): the launcher estimates from it.
  await expect(page.getByTestId('launch-estimate')).toHaveText(/^Training time: ≈ \d+ (s|min|h \d+ min) on this adapter \(measured\)/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await expect(runItem(page).getByTestId('run-status')).toHaveText('training', { timeout: 30_000 });
  await expect(runItem(page)).toContainText(`of ${EPOCHS}`);

  // Metrics stream in: the loss chart gains points, and keeps gaining them.
  await expect.poll(async () => (await lossPoints(page)).data, { timeout: 60_000 }).toBeGreaterThan(0);
  const early = await lossPoints(page);
  await expect.poll(async () => (await lossPoints(page)).data, { timeout: 60_000 }).toBeGreaterThan(early.data);
  await expect(lossChart(page).locator('path.recharts-curve').first()).toBeVisible();

  // Reload after the first checkpoint the UI shows, while the run still trains.
  await expect(runItem(page).getByTestId('run-checkpoint')).toBeVisible({ timeout: 60_000 });
  const savedText = (await runItem(page).getByTestId('run-checkpoint').textContent()) ?? '';
  const savedEpochs = Number(/saved after epoch (\d+)/.exec(savedText)?.[1]);
  expect(savedEpochs).toBeGreaterThanOrEqual(1);
  await expect(runItem(page).getByTestId('run-status')).toHaveText('training');
  await testInfo.attach('before-reload.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await page.reload();

  // The run comes back from IndexedDB and continues from its checkpoint, not from epoch 0: its
  // restored epoch records are on the chart, and the epoch shown never drops below the checkpoint.
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await expect(runItem(page).getByTestId('run-status')).toHaveText(/interrupted, resuming|training/, { timeout: 20_000 });
  const resumed = runItem(page).getByTestId('run-resumed');
  await expect(resumed).toBeVisible({ timeout: 30_000 });
  const resumedAfter = Number(/after epoch (\d+)/.exec((await resumed.textContent()) ?? '')?.[1]);
  expect(resumedAfter).toBeGreaterThanOrEqual(savedEpochs);
  expect(resumedAfter).toBeLessThan(EPOCHS);
  await expect.poll(async () => (await lossPoints(page)).dots, { timeout: 30_000 }).toBeGreaterThanOrEqual(2 * savedEpochs);
  expect(await epochShown(page)).toBeGreaterThanOrEqual(savedEpochs);
  await expect(runItem(page).getByTestId('run-status')).toHaveText('training', { timeout: 30_000 });
  expect(await epochShown(page)).toBeGreaterThanOrEqual(savedEpochs);

  // Pause and resume go to the worker and come back as its events.
  await runItem(page).getByRole('button', { name: /^Pause / }).click();
  await expect(runItem(page).getByTestId('run-status')).toHaveText('paused');
  await runItem(page).getByRole('button', { name: /^Resume / }).click();
  await expect(runItem(page).getByTestId('run-status')).toHaveText('training');

  // It finishes (recall at this size stays far below the 0.999 early stop), and the radar and the
  // results table get its in-context recall score.
  await expect(runItem(page).getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  const radarCell = page.getByTestId('radar-values').locator('td[data-task="in-context-recall"]').first();
  await expect(radarCell).toHaveText(/^\d\.\d{3}$/);
  const score = Number(await radarCell.textContent());
  expect(score).toBeGreaterThan(0);
  expect(score).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('mad-radar')).toHaveAttribute('data-polygons', '1');
  // The recall axis gets a point; the tasks without a finished run get none (not a 0) and say so.
  const radar = page.getByTestId('mad-radar');
  await expect(radar.locator('.recharts-radar-dot')).toHaveCount(1);
  const axisLabel = (name: RegExp) => radar.locator('.recharts-polar-angle-axis-tick-value').filter({ hasText: name });
  await expect(axisLabel(/^Recall$/)).toHaveCount(1);
  await expect(axisLabel(/^Memorization/)).toHaveText('Memorizationnot run');
  await expect(page.getByTestId('results-table').locator('tr[data-task="in-context-recall"] [data-testid="mad-score"]')).toContainText(score.toFixed(3));
  // Every epoch has its train and test points: the restored ones and the ones trained after the reload.
  expect((await lossPoints(page)).dots).toBe(2 * EPOCHS);

  await page.getByLabel('Published scores (paper’s Hyena family)').check();
  await expect(page.getByTestId('mad-radar')).toHaveAttribute('data-polygons', '6');
  await testInfo.attach('finished.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  expect(consoleErrors).toEqual([]);
});
