// A finished run's predictions in the Task Explorer, in the production build: a tiny memorization
// run trains for real in a worker (WebGPU on SwiftShader here); "See predictions" in the run list
// opens the explorer on that run's test split with every scored position marked right or wrong;
// the marks, the legend's counts and the summary agree; and after a reload the predictions come
// from the model stored in IndexedDB.
import { expect, test, type Page } from '@playwright/test';

const EPOCHS = 3;
const INPUT_LENGTH = 8; // memorization at L 8 feeds all 8 tokens

const runItem = (page: Page) => page.getByTestId('run-item').first();
const tokenGrid = (page: Page) => page.getByTestId('token-grid');
const summary = (page: Page) => page.getByTestId('prediction-summary');

async function openRunsPage(page: Page): Promise<void> {
  await page.goto('/#/runs');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 20_000 });
}

/** Opens the run's predictions from the run list and checks marks, legend and summary agree; returns "right of scored". */
async function checkPredictions(page: Page): Promise<string> {
  await runItem(page).getByRole('link', { name: /See predictions/ }).click();
  await expect(page).toHaveURL(/#\/explorer$/);
  await expect(summary(page)).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });

  const cells = tokenGrid(page).locator('[data-cell]');
  await expect(cells).toHaveCount(INPUT_LENGTH);
  const scored = await tokenGrid(page).locator('[data-scored]').count();
  const right = await tokenGrid(page).locator('[data-scored][data-outcome="right"]').count();
  const wrong = await tokenGrid(page).locator('[data-scored][data-outcome="wrong"]').count();
  expect(scored).toBeGreaterThan(0);
  expect(right + wrong).toBe(scored); // every scored position is marked, and nothing else is
  await expect(tokenGrid(page).locator('[data-outcome]')).toHaveCount(scored);
  await expect(page.getByTestId('scored-count')).toHaveText(String(scored));

  // Each mark shows the predicted token: equal to the target exactly when it is marked right.
  for (const cell of await tokenGrid(page).locator('[data-scored]').all()) {
    const target = (await cell.locator('.token-target').textContent())!;
    const predicted = (await cell.locator('.token-prediction').getAttribute('data-predicted'))!;
    expect(await cell.getAttribute('data-outcome')).toBe(predicted === target ? 'right' : 'wrong');
  }

  await expect(summary(page)).toContainText(`${right} of ${scored} scored positions right (accuracy ${(right / scored).toFixed(3)})`);
  await expect(page.getByTestId('legend-right').locator('.legend-count')).toHaveText(String(right));
  await expect(page.getByTestId('legend-wrong').locator('.legend-count')).toHaveText(String(wrong));
  // The screen-reader table says the same per position.
  const spoken = await page.locator('table td').filter({ hasText: /^position \d+: predicted \d+, target \d+, (right|wrong)$/ }).allTextContents();
  expect(spoken).toHaveLength(scored);
  expect(spoken.filter((text) => text.endsWith(', right'))).toHaveLength(right);
  return `${right} of ${scored}`;
}

test('a finished run’s predictions are marked right and wrong on its test split, also after a reload', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await openRunsPage(page);
  await page.getByLabel('Task', { exact: true }).selectOption('memorization');
  await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Tiny attention + SwiGLU (d 16)' });
  await page.getByLabel('Vocabulary').fill('8');
  await page.getByLabel('Sequence length').fill(String(INPUT_LENGTH));
  await page.getByLabel('Training examples').fill('256');
  await page.getByLabel('Test examples').fill('64');
  await page.getByLabel('Epochs', { exact: true }).fill(String(EPOCHS));
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Batch size').fill('32');
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  await expect(runItem(page).getByTestId('run-status')).toHaveText(/completed|stopped early/, { timeout: 150_000 });

  const first = await checkPredictions(page);
  // The run's setting (V 8, L 8) is not on the memorization grid: no grid chip claims it.
  await expect(page.getByRole('radio', { name: 'Memorization', exact: true })).toBeChecked();
  await expect(page.getByRole('group', { name: /Example 1, test view/ })).toBeVisible();
  await testInfo.attach('predictions.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // A fresh page has no compiled model: the worker loads the stored one from IndexedDB.
  await page.reload();
  await openRunsPage(page);
  expect(await checkPredictions(page)).toBe(first);

  // Back to the grid: the predictions go, the baseline's instances return.
  await page.getByRole('button', { name: 'Hide predictions' }).click();
  await expect(summary(page)).toHaveCount(0);
  await expect(tokenGrid(page).locator('[data-outcome]')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'baseline' })).toBeChecked();

  expect(consoleErrors).toEqual([]);
});
