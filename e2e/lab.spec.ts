// The whole lab in one flow, in the production build on WebGPU (SwiftShader here): build a tiny
// model by dragging blocks from the palette, save it to the library, train it on a tiny setting
// from the Runs page while the loss chart gains points, see the radar get its score; copy the
// experiment's link and open it in a fresh browser, where the model and the run settings come
// back identical; then open a malformed link, which shows why it cannot open and leaves the
// saved library as it was.
import { expect, test, type Page } from '@playwright/test';

const MODEL_NAME = 'tiny hyena lab';

/** The launcher's fields, by label, with the values the run uses (V 8, L 16, a few hundred examples, 3 epochs). */
const LAUNCHER_FIELDS: [label: string, value: string][] = [
  ['Vocabulary', '8'],
  ['Sequence length', '16'],
  ['Training examples', '256'],
  ['Test examples', '64'],
  ['Epochs', '3'],
  ['Learning rate', '0.01'],
  ['Weight decay', '0.05'],
  ['Batch size', '32'],
  ['Seed', '7'],
  ['Checkpoint every (epochs)', '1'],
];
/** Local to a browser, not part of a link: the checkpoint interval is left at its default there. */
const LOCAL_FIELDS = ['Checkpoint every (epochs)'];

const modelId = (page: Page) => page.getByTestId('model-id');
const lossChart = (page: Page) => page.getByTestId('chart-loss');
const runItem = (page: Page) => page.getByTestId('run-item').first();
const lossPoints = async (page: Page) => Number(await lossChart(page).getAttribute('data-points'));

async function goToPage(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('link', { name: title, exact: true })).toHaveAttribute('aria-current', 'page');
}

/** Drops a palette block below every block of the stack. */
async function dragToEnd(page: Page, layer: string): Promise<void> {
  const source = page.getByTestId(`palette-${layer}`);
  // The palette is taller than the window: with the block at the window's bottom edge the stack
  // above is on screen too, so the page does not scroll between pick-up and drop (which loses it).
  await source.evaluate((element) => element.scrollIntoView({ block: 'end' }));
  const dropzone = page.getByTestId('model-dropzone');
  const box = await dropzone.boundingBox();
  if (!box) throw new Error('the model stack is not on screen');
  await source.dragTo(dropzone, { targetPosition: { x: box.width / 2, y: box.height - 4 } });
}

/** What the Builder shows of the model: its layer list, width, the hyena override and the totals. */
async function builderView(page: Page): Promise<Record<string, string>> {
  await page.getByTestId('block-0').click();
  const filterOrder = page.getByRole('form', { name: 'hyena settings' }).getByRole('group', { name: 'filter_cfg' }).getByLabel('order');
  const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';
  return {
    layers: await text('model-id'),
    width: await page.getByTestId('model-dim').inputValue(),
    block0: await text('block-0'),
    block1: await text('block-1'),
    filterOrder: await filterOrder.inputValue(),
    parameters: await text('total-parameters'),
    state: await text('total-state'),
    memory: await text('total-memory'),
    flops: await text('total-flops'),
  };
}

/** What the Runs launcher shows: the mode, task, setting, model and every number field. */
async function launcherView(page: Page): Promise<Record<string, string>> {
  const view: Record<string, string> = {
    mode: (await page.locator('input[name="launch-mode"]:checked').getAttribute('value')) ?? '',
    task: await page.getByLabel('Task', { exact: true }).inputValue(),
    setting: await page.getByLabel('Setting', { exact: true }).inputValue(),
    model: (await page.getByLabel('Model', { exact: true }).locator('option:checked').textContent()) ?? '',
  };
  for (const [label] of LAUNCHER_FIELDS) if (!LOCAL_FIELDS.includes(label)) view[label] = await page.getByLabel(label, { exact: true }).inputValue();
  return view;
}

async function storedItems(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? ''])));
}

test('build by dragging, train a tiny run, share it exactly, and survive a malformed link', async ({ page, browser, context }, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  // Build hyena + SwiGLU at width 16 from the palette, with a changed Hyena filter order.
  await page.goto('/');
  await goToPage(page, 'Builder');
  await expect(page.getByTestId('webgpu-notice')).toHaveCount(0);
  await expect(page.locator('.webgpu-status')).toHaveAttribute('data-status', 'available');
  await page.getByRole('button', { name: 'Clear model' }).click();
  await expect(modelId(page)).toHaveText('empty');
  const width = page.getByTestId('model-dim');
  await width.fill('16');
  await width.press('Enter');
  await dragToEnd(page, 'hyena');
  await expect(modelId(page)).toHaveText('H');
  await dragToEnd(page, 'swiglu');
  await expect(modelId(page)).toHaveText('H-Sg');
  await page.getByTestId('block-0').click();
  const filterOrder = page.getByRole('form', { name: 'hyena settings' }).getByRole('group', { name: 'filter_cfg' }).getByLabel('order');
  await filterOrder.fill('8');
  await filterOrder.press('Enter');
  await expect(page.getByTestId('block-0')).toContainText('1 changed');
  await expect(width).toHaveValue('16');
  const built = await builderView(page);
  expect(built.parameters).toMatch(/^\d[\d,]*$/);

  await page.getByLabel('Name to save under').fill(MODEL_NAME);
  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByTestId('library-list')).toContainText(MODEL_NAME);
  await testInfo.attach('lab-1-built.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // Train it on a tiny in-context recall setting from the Runs page.
  await goToPage(page, 'Runs');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByLabel('Model', { exact: true }).locator('option:checked')).toContainText('The Builder’s model');
  await page.getByLabel('Task', { exact: true }).selectOption('in-context-recall');
  for (const [label, value] of LAUNCHER_FIELDS) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Run', exact: true }).click();

  await expect(page.getByTestId('run-item')).toHaveCount(1);
  await expect(runItem(page).getByTestId('run-status')).toHaveText('training', { timeout: 30_000 });
  await expect.poll(() => lossPoints(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const early = await lossPoints(page);
  await expect.poll(() => lossPoints(page), { timeout: 60_000 }).toBeGreaterThan(early);
  await testInfo.attach('lab-2-training.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  await expect(runItem(page).getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  const radarCell = page.getByTestId('radar-values').locator('td[data-task="in-context-recall"]').first();
  await expect(radarCell).toHaveText(/^\d\.\d{3}$/);
  const score = Number(await radarCell.textContent());
  expect(score).toBeGreaterThan(0);
  expect(score).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('mad-radar')).toHaveAttribute('data-polygons', '1');
  await testInfo.attach('lab-3-finished.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // Copy the experiment's link: the model and the launcher's settings, seed included.
  const settings = await launcherView(page);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Copied', { exact: true })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(await page.getByLabel('A link to this experiment').inputValue());
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/builder&mad=v2\./);

  // A fresh browser opens it on the Builder with the identical model, and the identical run settings.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('link-notice')).toContainText('Shared model opened');
  await expect(other.getByTestId('link-notice')).toContainText('its run settings on the Runs page');
  expect(new URL(other.url()).hash).toBe('#/builder');
  await expect(modelId(other)).toHaveText(built.layers);
  expect(await builderView(other)).toEqual(built);
  await testInfo.attach('lab-4-opened-link.png', { body: await other.screenshot({ fullPage: true }), contentType: 'image/png' });
  await goToPage(other, 'Runs');
  expect(await launcherView(other)).toEqual(settings);
  expect(await other.getByLabel('A link to this experiment').inputValue()).toBe(link);
  await testInfo.attach('lab-5-opened-settings.png', { body: await other.screenshot({ fullPage: true }), contentType: 'image/png' });

  // A link from before links carried a route ('#mad=v1.…') still opens, on the Builder.
  await other.goto('/#mad=v1.eyJhIjoibUEtU2ctbUEtU2cifQ');
  await expect(other.getByRole('link', { name: 'Builder', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(other.getByTestId('link-notice')).toContainText('Shared model opened');
  await expect(modelId(other)).toHaveText('mA-Sg-mA-Sg');
  await fresh.close();

  // A malformed link shows why it cannot open and changes nothing: the model and the library stay.
  await goToPage(page, 'Builder');
  const before = await storedItems(page);
  await page.goto('about:blank');
  await page.goto(link.slice(0, link.length - 15));
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('This link could not be opened');
  await expect(notice).toContainText(/incomplete/);
  await expect(modelId(page)).toHaveText(built.layers);
  await expect(page.getByTestId('library-list')).toContainText(MODEL_NAME);
  expect(await storedItems(page)).toEqual(before);
  await testInfo.attach('lab-6-malformed-link.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  expect(errors).toEqual([]);
});

test('with WebGPU present but no adapter, the status footer and the Builder agree that training is unavailable', async ({ page }) => {
  // navigator.gpu exists, as in a browser with WebGPU on a machine whose GPU is blocklisted.
  await page.addInitScript(() => {
    GPU.prototype.requestAdapter = () => Promise.resolve(null);
  });
  await page.goto('/#/explorer');
  const footer = page.locator('.webgpu-status');
  await expect(footer).toHaveAttribute('data-status', 'unavailable');
  await expect(footer).toContainText('WebGPU is not available for training in this browser: WebGPU found no GPU adapter');
  await goToPage(page, 'Builder');
  await expect(page.getByTestId('webgpu-notice')).toContainText('This browser cannot train models');
  await expect(footer).toHaveAttribute('data-status', 'unavailable');
});
