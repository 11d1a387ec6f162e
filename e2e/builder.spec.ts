// The architecture Builder in the production build: building a model by dragging blocks from the
// palette, reordering by drag and by keyboard alone, undo/redo, a refused setting with its reason,
// share links that reproduce the model in a fresh browser, malformed links that change nothing,
// and the page without WebGPU. Screenshots of the builder are attached to the report.
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';

const modelId = (page: Page) => page.getByTestId('model-id');
const totalParameters = (page: Page) => page.getByTestId('total-parameters');
const dropzone = (page: Page) => page.getByTestId('model-dropzone');
const announcer = (page: Page) => page.getByTestId('builder-announcer');

/** Drops a palette block below every block of the stack (the stack's bottom edge). */
async function dragToEnd(page: Page, layer: string): Promise<void> {
  const box = await dropzone(page).boundingBox();
  if (!box) throw new Error('the model stack is not on screen');
  await page.getByTestId(`palette-${layer}`).dragTo(dropzone(page), { targetPosition: { x: box.width / 2, y: box.height - 4 } });
}

/** Drops `source` onto the upper edge of `target`, i.e. into the gap just above it. */
async function dragAbove(source: Locator, target: Locator): Promise<void> {
  await source.dragTo(target, { targetPosition: { x: 20, y: 2 } });
}

async function openBuilder(page: Page): Promise<void> {
  await page.goto('/#/builder');
  await expect(page.getByRole('link', { name: 'Builder' })).toHaveAttribute('aria-current', 'page');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
}

async function storedItems(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? ''])));
}

test('builds mA-Sg-mA-Sg by dragging blocks from the palette, with live totals (docs/protocol.md §4.0: 407,184 at V 16, L 128)', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await openBuilder(page);
  await page.getByRole('button', { name: 'Clear model' }).click();
  await expect(modelId(page)).toHaveText('empty');
  await expect(totalParameters(page)).toHaveText('—');

  await dragToEnd(page, 'mh-attention');
  await expect(modelId(page)).toHaveText('mA');
  // 66,048 (mh-attention) + 16×128 embedding + two RMSNorms of 128 + head 128×16 + 16.
  await expect(totalParameters(page)).toHaveText('70,416');
  await dragToEnd(page, 'swiglu');
  await dragToEnd(page, 'mh-attention');
  await dragToEnd(page, 'swiglu');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
  await expect(totalParameters(page)).toHaveText('407,184');
  await expect(page.getByTestId('count-vocab')).toHaveValue('16');
  await expect(page.getByTestId('count-length')).toHaveValue('128');
  await expect(page.getByTestId('total-memory')).toHaveText(/MiB$/);
  await expect(page.getByTestId('total-flops')).toHaveText(/GFLOP$/);

  // A block dropped between two others lands there.
  await dragAbove(page.getByTestId('palette-mamba'), page.getByTestId('block-1'));
  await expect(modelId(page)).toHaveText('mA-Mb-Sg-mA-Sg');
  // Blocks of the stack are dragged to a new place.
  await dragAbove(page.getByTestId('block-0'), page.getByTestId('block-3'));
  await expect(modelId(page)).toHaveText('Mb-Sg-mA-mA-Sg');
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');

  await page.getByTestId('block-0').click();
  await expect(page.getByRole('form', { name: 'mh-attention settings' })).toBeVisible();
  await testInfo.attach('builder.png', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await testInfo.attach('builder-projector-1920x1080.png', { body: await page.screenshot(), contentType: 'image/png' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await testInfo.attach('builder-laptop-1280x800.png', { body: await page.screenshot(), contentType: 'image/png' });
  expect(errors).toEqual([]);
});

test('reorders, duplicates and removes blocks with the keyboard alone, and undoes and redoes', async ({ page }) => {
  await openBuilder(page);
  await page.getByTestId('block-0').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('block-1')).toBeFocused();

  // Space picks swiglu up, two arrows carry it to the end, Space drops it.
  await page.keyboard.press('Space');
  await expect(announcer(page)).toContainText('Picked up swiglu at position 2 of 4');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg'); // nothing moves until the drop
  await page.keyboard.press('Space');
  await expect(modelId(page)).toHaveText('mA-mA-Sg-Sg');
  await expect(announcer(page)).toHaveText('swiglu moved to position 4 of 4.');
  await expect(page.getByTestId('block-3')).toBeFocused();

  // Escape cancels a pick-up.
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Escape');
  await expect(modelId(page)).toHaveText('mA-mA-Sg-Sg');
  await expect(announcer(page)).toContainText('Move cancelled');

  // Alt+ArrowUp moves at once; focus stays on the moved block.
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
  await expect(page.getByTestId('block-1')).toBeFocused();

  await page.keyboard.press('Control+d');
  await expect(modelId(page)).toHaveText('mA-Sg-Sg-mA-Sg');
  await expect(page.getByTestId('block-2')).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');

  await page.keyboard.press('Control+z');
  await expect(modelId(page)).toHaveText('mA-Sg-Sg-mA-Sg');
  await page.keyboard.press('Control+z');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
  await expect(page.getByRole('button', { name: 'Redo' })).toBeDisabled();

  // A palette block is added from the keyboard too.
  await page.getByRole('button', { name: 'Add mamba', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
});

test('an invalid setting is refused with the layer’s reason, and coupled settings are applied together', async ({ page }) => {
  await openBuilder(page);
  await page.getByTestId('block-0').click();
  const settings = page.getByRole('form', { name: 'mh-attention settings' });
  const heads = settings.getByLabel('n_heads');

  await heads.fill('3');
  await heads.press('Enter');
  await expect(settings.getByRole('alert')).toHaveText("'n_heads' (3) must divide 'dim' (128)");
  await expect(heads).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('block-0')).not.toContainText('changed');
  await expect(totalParameters(page)).toHaveText('407,184');

  // 8 heads need a rotary dim of 16: refused alone (the reason names rotary_emb_dim), accepted together.
  await heads.fill('8');
  await heads.press('Enter');
  await expect(settings.getByRole('alert')).toContainText("'rotary_emb_dim' must equal the head dim dim/n_heads = 16");
  await settings.getByLabel('rotary_emb_dim').fill('16');
  await settings.getByLabel('rotary_emb_dim').press('Enter');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('block-0')).toContainText('2 changed');
  await expect(heads).toHaveValue('8');

  // Nested groups of a layer's yml are fields too: Hyena's implicit filter order.
  await page.getByRole('button', { name: 'Add hyena', exact: true }).click();
  await page.getByTestId('block-4').click();
  const hyena = page.getByRole('form', { name: 'hyena settings' });
  const filterOrder = hyena.getByRole('group', { name: 'filter_cfg' }).getByLabel('order');
  await expect(filterOrder).toHaveValue('4');
  const before = await page.getByTestId('block-4').textContent();
  await filterOrder.fill('8');
  await filterOrder.press('Enter');
  await expect(page.getByTestId('block-4')).toContainText('1 changed');
  expect(await page.getByTestId('block-4').textContent()).not.toBe(before); // a wider filter MLP has more parameters
  await page.getByRole('button', { name: 'Remove hyena' }).click();

  // The model width is checked against every block.
  const width = page.getByTestId('model-dim');
  await width.fill('96');
  await width.press('Enter');
  await expect(page.getByText("block 1: mh-attention: 'rotary_emb_dim' must equal the head dim dim/n_heads = 12")).toBeVisible();
  await expect(width).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('model-id')).toHaveText('mA-Sg-mA-Sg');
});

test('copy link opens the identical architecture in a fresh browser', async ({ page, browser, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openBuilder(page);
  await page.getByLabel('Start from a preset').selectOption({ label: 'Striped Hyena' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(modelId(page)).toHaveText('mH-Sg-mA-Sg');
  await page.getByTestId('block-2').click();
  const settings = page.getByRole('form', { name: 'mh-attention settings' });
  await settings.getByLabel('n_heads').fill('8');
  await settings.getByLabel('rotary_emb_dim').fill('16');
  await settings.getByLabel('rotary_emb_dim').press('Enter');
  await page.getByRole('radio', { name: 'LayerNorm' }).check();
  const parameters = await totalParameters(page).textContent();

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Copied', { exact: true })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(await page.getByLabel('A link to this model').inputValue());
  expect(link).toMatch(/#\/builder&mad=v2\./);
  await expect(page.getByTestId('cli-command')).toHaveValue(`npm run mad -- train --link '${link}'`);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('link-notice')).toContainText('Shared model opened');
  await expect(modelId(other)).toHaveText('mH-Sg-mA-Sg');
  await expect(other.getByTestId('block-2')).toContainText('2 changed');
  await expect(other.getByRole('radio', { name: 'LayerNorm' })).toBeChecked();
  await expect(totalParameters(other)).toHaveText(parameters ?? '');
  // The same spec encodes to the same link, so the two pages hold identical architectures.
  expect(await other.getByLabel('A link to this model').inputValue()).toBe(link);
  expect(new URL(other.url()).hash).toBe('#/builder');
  await fresh.close();
});

test('a malformed, truncated or future link shows the error and changes neither the model nor the library', async ({ page }, testInfo) => {
  await openBuilder(page);
  await page.getByRole('button', { name: 'Add mamba', exact: true }).click();
  await page.getByLabel('Name to save under').fill('my hybrid');
  await page.getByRole('button', { name: 'Save to library' }).click();
  await expect(page.getByTestId('library-list')).toContainText('my hybrid');
  const good = await page.getByLabel('A link to this model').inputValue();
  const before = await storedItems(page);

  const broken: [string, RegExp][] = [
    [good.slice(0, good.length - 12), /incomplete/],
    [good.replace('mad=v2.', 'mad=v9.'), /newer MAD Lab/],
    [good.replace('mad=v2.', 'mad=v2.@@'), /damaged/],
  ];
  for (const [link, reason] of broken) {
    await page.goto('about:blank');
    await page.goto(link);
    const notice = page.getByTestId('link-notice');
    await expect(notice).toContainText('This link could not be opened');
    await expect(notice).toContainText(reason);
    await expect(notice).toContainText('your saved library are as they were');
    await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
    await expect(page.getByTestId('library-list')).toContainText('my hybrid');
    expect(await storedItems(page)).toEqual(before);
  }
  await testInfo.attach('builder-malformed-link.png', { body: await page.screenshot(), contentType: 'image/png' });

  // A link pasted into the page's own field is checked the same way: {"a":"mA-Sg","d":24} is
  // well-formed, but 16 heads do not divide a width of 24.
  await page.getByPlaceholder('Paste a MAD Lab link to open it').fill('https://example.org/#/builder&mad=v1.eyJhIjoibUEtU2ciLCJkIjoyNH0');
  await page.getByRole('button', { name: 'Open link' }).click();
  await expect(page.locator('#open-link-message')).toContainText("invalid model or run: architecture: layers[0]: mh-attention: 'n_heads' (16) must divide 'dim' (24)");
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
  expect(await storedItems(page)).toEqual(before);
});

test('exports JSON and imports it back, and opens a mad-lab command', async ({ page }) => {
  await openBuilder(page);
  await page.getByLabel('Start from a preset').selectOption({ label: 'Mamba (state 16)' });
  await page.getByRole('button', { name: 'Load preset' }).click();
  await expect(modelId(page)).toHaveText('Mb-Mb-Mb-Mb');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(download.suggestedFilename()).toBe('mamba-state-16.mad.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(exported.architecture.layers[0]).toEqual({ type: 'mamba', config: { d_state: 16 } });

  await page.getByRole('button', { name: 'Clear model' }).click();
  await page.getByLabel('Import JSON…').setInputFiles({ name: 'model.mad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await expect(modelId(page)).toHaveText('Mb-Mb-Mb-Mb');
  await expect(page.getByTestId('block-0')).toContainText('1 changed');
  await page.getByLabel('Import JSON…').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByText('notes.json: This file is not a MAD Lab architecture')).toBeVisible();
  await expect(modelId(page)).toHaveText('Mb-Mb-Mb-Mb');

  await page.getByLabel('A mad-lab command to open').fill('python -m benchmark --layers hyena swiglu mh-attention swiglu --dim 128');
  await page.getByRole('button', { name: 'Open command' }).click();
  await expect(modelId(page)).toHaveText('H-Sg-mA-Sg');
  await expect(page.getByTestId('madlab-command')).toHaveText('python -m benchmark --layers hyena swiglu mh-attention swiglu --dim 128');
});

test('without WebGPU the page says so, names working browsers, and still counts and exports', async ({ page }, testInfo) => {
  // As in a browser without WebGPU: navigator.gpu does not exist at all.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await openBuilder(page);
  const notice = page.getByTestId('webgpu-notice');
  await expect(notice).toContainText('This browser cannot train models');
  await expect(notice).toContainText('Chrome or Edge 113');
  await expect(notice).toContainText('Safari and Firefox');
  await expect(notice).toContainText('navigator.gpu is undefined');
  await expect(totalParameters(page)).toHaveText('407,184');
  await expect(page.getByTestId('madlab-command')).toHaveText('python -m benchmark --layers mh-attention swiglu mh-attention swiglu --dim 128');
  await testInfo.attach('builder-without-webgpu.png', { body: await page.screenshot(), contentType: 'image/png' });
});
