// The Task Explorer in the production build: every task renders a full test instance with scored
// positions and a legend, draws new examples, and the page loads without console errors.
import { expect, test, type Page } from '@playwright/test';
import { TASK_NAMES, TASK_SHORTHAND, type TaskName } from '../src/tasks/types.ts';
import { TASK_DESCRIPTIONS } from '../src/ui/explorer/taskDescriptions.ts';

// Model input length of each task's baseline, written out from the MAD protocol rather than
// computed with the app's own code: the recall tasks shift by one under multi-query (L − 1),
// the others feed all L tokens.
const BASELINE_INPUT_LENGTH: Record<TaskName, number> = {
  'in-context-recall': 127,
  'noisy-in-context-recall': 127,
  'fuzzy-in-context-recall': 128,
  memorization: 32,
  compression: 32,
  'selective-copying': 256,
};

const tokenGrid = (page: Page) => page.getByTestId('token-grid');
const tokenCells = (page: Page) => tokenGrid(page).locator('[data-cell]');

async function sequenceText(page: Page): Promise<string> {
  return (await tokenGrid(page).locator('.token-id').allTextContents()).join(' ');
}

async function selectTask(page: Page, task: TaskName): Promise<void> {
  await page.getByRole('radio', { name: TASK_DESCRIPTIONS[task].title, exact: true }).check();
}

for (const task of TASK_NAMES) {
  test(`${TASK_DESCRIPTIONS[task].title}: shows a scored test instance and draws another`, async ({ page }, testInfo) => {
    await page.goto('/');
    await selectTask(page, task);
    await expect(page.getByRole('radio', { name: 'baseline' })).toBeChecked();
    await expect(page.getByRole('heading', { name: TASK_DESCRIPTIONS[task].title })).toBeVisible();

    await expect(tokenCells(page)).toHaveCount(BASELINE_INPUT_LENGTH[task]);

    const scoredCells = tokenGrid(page).locator('[data-scored]');
    const scoredCount = await scoredCells.count();
    expect(scoredCount).toBeGreaterThan(0);
    await expect(page.getByTestId('scored-count')).toHaveText(String(scoredCount));
    for (const target of await scoredCells.locator('.token-target').allTextContents()) {
      expect(target).toMatch(/^\d+$/);
    }

    const legend = page.getByTestId('token-legend');
    await expect(legend).toBeVisible();
    await expect(legend.getByRole('listitem')).not.toHaveCount(0);
    await expect(page.getByTestId('setting-name')).toHaveText(new RegExp(`^t-${TASK_SHORTHAND[task]}_vs-`));

    await testInfo.attach(`${task}.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    const before = await sequenceText(page);
    await page.getByRole('button', { name: /another example/i }).click();
    await expect(page.getByRole('heading', { name: 'Example 2' })).toBeVisible();
    expect(await sequenceText(page)).not.toBe(before);
    await expect(tokenCells(page)).toHaveCount(BASELINE_INPUT_LENGTH[task]);
  });
}

test('the training view of in-context recall scores every next token of the same sequence', async ({ page }) => {
  await page.goto('/');
  await selectTask(page, 'in-context-recall');
  const testSequence = await sequenceText(page);
  const testScored = await tokenGrid(page).locator('[data-scored]').count();
  await page.getByRole('radio', { name: 'Training view' }).check();
  await expect(tokenGrid(page).locator('[data-scored]')).toHaveCount(BASELINE_INPUT_LENGTH['in-context-recall']);
  expect(testScored).toBeLessThan(BASELINE_INPUT_LENGTH['in-context-recall']);
  expect(await sequenceText(page)).toBe(testSequence);
});

test('a weights file that is not safetensors is refused with a sentence saying why', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('weights-file-input').setInputFiles({ name: 'junk.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3]) });
  await expect(page.getByTestId('weights-file-problem')).toHaveText("Weights not loaded: junk.safetensors: it is 3 bytes, too short for safetensors' 8-byte header length");
});

test('the N key draws another example and a longer setting renders all its tokens', async ({ page }) => {
  await page.goto('/');
  await selectTask(page, 'selective-copying');
  await page.getByRole('radio', { name: 'length 1,024' }).check();
  await expect(tokenCells(page)).toHaveCount(1024);
  await expect(page.getByTestId('scored-count')).toHaveText('16');
  const before = await sequenceText(page);
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { name: 'Example 2' })).toBeVisible();
  expect(await sequenceText(page)).not.toBe(before);
});

test('the page loads and is used without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Task Explorer' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(/WebGPU is (not )?available/)).toBeVisible();
  for (const task of TASK_NAMES) await selectTask(page, task);
  await page.getByRole('button', { name: /another example/i }).click();
  expect(errors).toEqual([]);
});
