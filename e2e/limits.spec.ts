// The page keeps answering whatever size a user types, links or imports. Each hostile value that
// once froze the tab (a memorization vocabulary of 2,147,483,648 in the Runs launcher, a link
// carrying vs 2,147,483,647 or 3,000 layers, a JSON file of 10,000 layers or with a 50 MB name) is
// applied here, and a trivial expression evaluated on the page must answer within a 10 s watchdog
// (a watchdog that fails a hung page, not a timing measurement). Each value is refused or marked
// with the size policy's message, and a reload afterwards answers too, with the saved draft as it
// was. Also: a saved draft over the limits is discarded with a notice, a 65th layer is refused,
// epochs over the cap disable Run, and a double-click on Run starts one run.
import { writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

const WATCHDOG_MS = 10_000;
const DRAFT_KEY = 'mad-lab.builder.draft';
const modelId = (page: Page) => page.getByTestId('model-id');
const runButton = (page: Page) => page.getByRole('button', { name: 'Run', exact: true });

/** Fails when the page does not evaluate 1 + 1 within the watchdog: its main thread is blocked. */
async function expectResponsive(page: Page, after: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer within ${WATCHDOG_MS / 1000} s after ${after}`)), WATCHDOG_MS);
  });
  try {
    expect(await Promise.race([page.evaluate(() => 1 + 1), watchdog])).toBe(2);
  } finally {
    clearTimeout(timer);
  }
}

/** A share link whose v1 data is `json` (see src/share/linkFormatV1.ts). */
const linkOf = (json: object): string => `/#/builder&mad=v1.${Buffer.from(JSON.stringify(json)).toString('base64url')}`;

const storedDraft = (page: Page) => page.evaluate((key) => localStorage.getItem(key), DRAFT_KEY);

async function openBuilder(page: Page): Promise<void> {
  await page.goto('/#/builder');
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
}

async function goToPage(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('link', { name: title, exact: true })).toHaveAttribute('aria-current', 'page');
}

/** Reloads, checks the page answers and shows the same model, and that the saved draft is unchanged. */
async function expectReloadUnchanged(page: Page, model: string, draft: string | null): Promise<void> {
  await page.reload();
  await expectResponsive(page, 'the reload');
  await expect(modelId(page)).toHaveText(model);
  expect(await storedDraft(page)).toBe(draft);
}

test('a memorization vocabulary of 2,147,483,648 typed in the launcher is marked, Run waits, and the page answers', async ({ page }) => {
  await page.goto('/#/runs');
  await expect(runButton(page)).toBeEnabled({ timeout: 20_000 });
  await page.getByLabel('Task', { exact: true }).selectOption('memorization');
  const vocabulary = page.getByLabel('Vocabulary', { exact: true });
  await vocabulary.fill('2147483648');
  await expectResponsive(page, 'typing the vocabulary');
  const message = "Vocabulary size 2,147,483,648 is over the limit of 131,072 (16× MAD's largest vocabulary (8,192)): use a smaller vocabulary.";
  await expect(vocabulary).toHaveAttribute('aria-invalid', 'true');
  await expect(vocabulary).toHaveAccessibleDescription(message);
  await expect(page.locator('.launcher-problems[role="alert"]')).toContainText(message);
  await expect(runButton(page)).toBeDisabled();
  await expectResponsive(page, 'the refused vocabulary');

  await vocabulary.fill('16');
  await expect(vocabulary).not.toHaveAttribute('aria-invalid', 'true');
  await expect(runButton(page)).toBeEnabled();
  await page.reload();
  await expectResponsive(page, 'the reload');
});

test('epochs of 1,000,000,000 are marked with the cap and Run waits until they are fixed', async ({ page }) => {
  await page.goto('/#/runs');
  await expect(runButton(page)).toBeEnabled({ timeout: 20_000 });
  const epochs = page.getByLabel('Epochs', { exact: true });
  await epochs.fill('1000000000');
  await expect(epochs).toHaveAccessibleDescription("Epochs 1,000,000,000 is over the limit of 3,200 (16× MAD's largest epoch count (200)): train for fewer epochs.");
  await expect(runButton(page)).toBeDisabled();
  await epochs.fill('3200');
  await expect(runButton(page)).toBeEnabled();
});

test('a link with vs 2,147,483,647 opens its model, keeps the value in its field with the reason, and Run waits', async ({ page }) => {
  await page.goto(linkOf({ a: 'M-Sg', d: 16, r: { s: { t: 'M', vs: 2_147_483_647 } } }));
  await expectResponsive(page, 'opening the link');
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('Shared model opened');
  await expect(notice).toContainText('cannot run as they are');
  await expect(notice).toContainText('Vocabulary size 2,147,483,647 is over the limit of 131,072');
  await expect(modelId(page)).toHaveText('M-Sg');

  await goToPage(page, 'Runs');
  const vocabulary = page.getByLabel('Vocabulary', { exact: true });
  await expect(vocabulary).toHaveValue('2147483647');
  await expect(vocabulary).toHaveAttribute('aria-invalid', 'true');
  await expect(vocabulary).toHaveAccessibleDescription(/^Vocabulary size 2,147,483,647 is over the limit of 131,072 .*: use a smaller vocabulary\.$/);
  await expect(page.getByLabel('Task', { exact: true })).toHaveValue('memorization');
  await expect(runButton(page)).toBeDisabled();
  await expectResponsive(page, 'showing the linked run');

  // The link's model is the draft now (it is valid); a reload keeps it and answers.
  const draft = await storedDraft(page);
  await page.goto('/#/builder');
  await expectReloadUnchanged(page, 'M-Sg', draft);
});

test('a JSON file of 10,000 layers is refused by the layer cap; model, draft and reloads are unchanged', async ({ page }) => {
  await openBuilder(page);
  await page.getByRole('button', { name: 'Add mamba', exact: true }).click();
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
  const draft = await storedDraft(page);
  const file = { format: 'mad-lab-architecture', version: 1, architecture: { version: 1, dim: 128, layers: new Array(10_000).fill({ type: 'mlp' }) } };
  await page.getByLabel('Import JSON…').setInputFiles({ name: 'deep.mad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expectResponsive(page, 'importing 10,000 layers');
  await expect(page.getByText(/^deep\.mad\.json: This file describes an invalid model or run: architecture: Number of layers 10,000 is over the limit of 64 .*: use fewer layers\.$/)).toBeVisible();
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
  expect(await storedDraft(page)).toBe(draft);
  await expectReloadUnchanged(page, 'mA-Sg-mA-Sg-Mb', draft);
});

test('a valid JSON file with a 50 MB name is refused by its size before it is read', async ({ page }, testInfo) => {
  await openBuilder(page);
  const draft = await storedDraft(page);
  const name = 'x'.repeat(50 * 1024 * 1024);
  const path = testInfo.outputPath('huge-name.mad.json');
  // Larger than Playwright sends as a buffer: written to a file, which the browser reads itself.
  await writeFile(path, JSON.stringify({ format: 'mad-lab-architecture', version: 1, architecture: { version: 1, dim: 128, name, layers: [{ type: 'mlp' }] } }));
  await page.getByLabel('Import JSON…').setInputFiles(path);
  await expectResponsive(page, 'importing a 50 MB name');
  await expect(page.getByText(/^huge-name\.mad\.json: This file is 52,428,[\d,]+ bytes long, over the limit of [\d,]+ \(a model of up to 64 layers with generous overrides fits well within it\): choose the file of a smaller model\.$/)).toBeVisible();
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
  await expectReloadUnchanged(page, 'mA-Sg-mA-Sg', draft);
});

test('an 8 KB link with 3,000 layers is refused with the layer cap and never becomes the draft', async ({ page }) => {
  await openBuilder(page);
  await page.getByRole('button', { name: 'Add mamba', exact: true }).click();
  const draft = await storedDraft(page);
  const link = linkOf({ a: new Array(3000).fill('M').join('-') });
  expect(link.length).toBeLessThan(9000);
  await page.goto(link);
  await expectResponsive(page, 'opening 3,000 layers');
  const notice = page.getByTestId('link-notice');
  await expect(notice).toContainText('This link could not be opened');
  await expect(notice).toContainText("Number of layers 3,000 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers.");
  await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg-Mb');
  expect(await storedDraft(page)).toBe(draft);
  await expectReloadUnchanged(page, 'mA-Sg-mA-Sg-Mb', draft);
});

test('a saved draft over the limits, from before the policy, is discarded with a notice instead of blocking every reload', async ({ page }) => {
  await openBuilder(page);
  // 3,000 layers (what the 8 KB link left behind) are refused by the layer cap; 10,000 layers,
  // 150 KB of text, by the draft's length before it is parsed.
  const drafts: [layers: number, reason: RegExp][] = [
    [3000, /Number of layers 3,000 is over the limit of 64 .*: use fewer layers\.$/],
    [10_000, /its text is 150,034 characters long, over the limit of 81,920 .*: open a smaller model\.$/],
  ];
  for (const [layers, reason] of drafts) {
    const deep = { version: 1, dim: 128, layers: new Array(layers).fill({ type: 'mlp' }) };
    await page.evaluate(([key, text]) => localStorage.setItem(key!, text!), [DRAFT_KEY, JSON.stringify(deep)]);
    await page.reload();
    await expectResponsive(page, `loading a draft of ${layers} layers`);
    const notice = page.getByTestId('link-notice');
    await expect(notice).toContainText('Your saved model was discarded');
    await expect(notice.locator('p').first()).toHaveText(reason);
    await expect(modelId(page)).toHaveText('mA-Sg-mA-Sg');
    expect(await storedDraft(page)).toBeNull();
    await expectReloadUnchanged(page, 'mA-Sg-mA-Sg', null);
    await expect(page.getByTestId('link-notice')).toHaveCount(0);
  }
});

test('a 65th layer is refused with the cap, and the name field holds 200 characters', async ({ page }) => {
  await openBuilder(page);
  const full = { version: 1, dim: 16, layers: new Array(64).fill({ type: 'mlp' }) };
  await page.evaluate(([key, text]) => localStorage.setItem(key!, text!), [DRAFT_KEY, JSON.stringify(full)]);
  await page.reload();
  await expect(modelId(page)).toHaveText(new Array(64).fill('M').join('-'));
  await page.getByRole('button', { name: 'Add mlp' }).click();
  await expect(page.getByTestId('palette-refusal')).toHaveText("Cannot add mlp: Number of layers 65 is over the limit of 64 (16× MAD's largest model (4)): use fewer layers.");
  await expect(modelId(page)).toHaveText(new Array(64).fill('M').join('-'));

  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toHaveAttribute('maxlength', '200');
  await name.fill('n'.repeat(300));
  await expect(name).toHaveValue('n'.repeat(200));
});

test('a double-click on Run starts one run', async ({ page }) => {
  await page.goto('/#/runs');
  await expect(runButton(page)).toBeEnabled({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Demo sizes' }).click();
  // A double-click slow enough that the first launch has finished (and Run is enabled again)
  // before the second click: the second click of the pair must not launch again.
  await runButton(page).dblclick({ delay: 300 });
  await expect(page.getByTestId('run-item')).toHaveCount(1);
  // Once the launch has finished (Run is enabled again), still exactly one run.
  await expect(runButton(page)).toBeEnabled({ timeout: 20_000 });
  await expect(page.getByTestId('run-item')).toHaveCount(1);
});
