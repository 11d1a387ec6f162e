// The Compare page and the width sweep in the production build, training for real on WebGPU
// (SwiftShader here): a width sweep of the tiny attention model at widths 8 and 16 on memorization at
// demo scale draws two points of test accuracy against state size; the comparison chart then holds
// those two architectures beside the published tables, draws the Pareto frontier, and its CSV
// download has one row per drawn point. Screenshots go to /tmp/screens/ for the note.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('a width sweep draws accuracy against state; the Compare page plots, draws the frontier and exports CSV', async ({ page }) => {
  test.setTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto('/#/runs');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Demo sizes' }).click(); // tiny model, 256 / 64 examples, batch 32
  await page.getByRole('radio', { name: 'Width sweep' }).check();
  await page.getByLabel('Task', { exact: true }).selectOption('memorization');
  await page.getByLabel('Vocabulary').fill('32');
  await page.getByLabel('Sequence length').fill('16');
  await page.getByLabel('Training examples').fill('128');
  await page.getByLabel('Test examples').fill('32');
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  // A width the model's head size (8) does not divide is refused with the reason, keyed to the field.
  await page.getByLabel('Widths').fill('8, 12');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.launcher-problems')).toContainText('Width 12:');
  await page.getByLabel('Widths').fill('8, 16');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-item')).toHaveCount(2);

  await page.getByRole('navigation').getByRole('link', { name: 'Compare', exact: true }).click();
  const sweepChart = page.getByTestId('width-sweep-chart');
  await expect(sweepChart).toHaveAttribute('data-points', '2', { timeout: 45_000 });
  await expect(sweepChart.locator('.width-point')).toHaveCount(2);
  await page.locator('.width-sweeps').screenshot({ path: '/tmp/screens/width-sweep.png' });

  // Memorization scores against parameters: our two widths and the published tables' placed models.
  await page.getByLabel('Score', { exact: true }).selectOption('memorization');
  await page.getByRole('radio', { name: 'Parameters' }).check();
  const chart = page.getByTestId('compare-chart');
  const drawn = Number(await chart.getAttribute('data-points'));
  expect(drawn).toBeGreaterThanOrEqual(2 + 4); // ours at d 8 and d 16, at least lin-attn-bench's four with presets
  await expect(chart.locator('.compare-point')).toHaveCount(drawn);
  await expect(chart.locator('.compare-point[data-label="Tiny attention + SwiGLU (d 8)"]')).toHaveCount(1);
  await expect(chart.locator('.compare-point[data-label="Tiny attention + SwiGLU (d 16)"]')).toHaveCount(1);
  expect(Number(await chart.getAttribute('data-frontier'))).toBeGreaterThanOrEqual(1);
  await expect(chart.locator('.pareto-frontier path').first()).toBeVisible();
  await expect(page.getByTestId('compare-left-out')).toContainText('Gated DeltaNet (lin-attn-bench, unofficial)');

  const rowLabels = await page.getByTestId('compare-values').locator('tbody th').allTextContents();
  expect(rowLabels).toHaveLength(drawn);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the data of the comparison chart as CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('mad-compare-memorization-parameters.csv');
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('label,source,table,parameters,mad_score_memorization,pareto,placement');
  expect(lines).toHaveLength(drawn + 1);
  const csvLabels = lines.slice(1).map((line) => (line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.split(',')[0]!));
  expect(csvLabels.sort()).toEqual([...rowLabels].sort());

  // The state plot leaves attention out, with the reason.
  await page.getByRole('radio', { name: 'State per sequence' }).check();
  await expect(page.getByTestId('compare-left-out')).toContainText('grows with the sequence length');
  await page.getByRole('radio', { name: 'Parameters' }).check();
  // Labels never overlap (the published points cluster): ours are shown, the rest where they fit.
  await expect(chart.locator('text.compare-point-label', { hasText: 'Tiny attention + SwiGLU (d 8)' })).toBeVisible();
  await expect(chart.locator('text.compare-point-label', { hasText: 'Tiny attention + SwiGLU (d 16)' })).toBeVisible();
  const labels = await chart.evaluate((figure) => {
    const boxes = [...figure.querySelectorAll('text.compare-point-label')].filter((t) => t.getAttribute('visibility') !== 'hidden').map((t) => t.getBoundingClientRect());
    const overlaps = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
    return { shown: boxes.length, overlaps: overlaps.length };
  });
  expect(labels.overlaps).toBe(0);
  expect(labels.shown).toBeGreaterThanOrEqual(4);
  await page.locator('.compare-page > section').first().screenshot({ path: '/tmp/screens/compare.png' });
  expect(pageErrors).toEqual([]);
});
