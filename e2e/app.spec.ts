// The production build loads with no console errors: every page, opened both directly by its link
// and through the navigation (which loads the lazy pages' chunks on first use), renders its content
// without a console error, a failed request or an uncaught exception. And no page scrolls sideways
// on a common laptop screen, in normal or in presentation mode (its larger type).
import { expect, test, type Page } from '@playwright/test';

const PAGES = [
  { id: 'explorer', nav: 'Task Explorer', heading: 'Task Explorer' },
  { id: 'builder', nav: 'Builder', heading: 'Architecture Builder' },
  { id: 'runs', nav: 'Runs', heading: 'Runs' },
  { id: 'compare', nav: 'Compare', heading: 'Compare architectures at matched size' },
  { id: 'classroom', nav: 'Classroom', heading: 'Classroom' },
] as const;

/** Collects console errors, uncaught exceptions and failed requests of the page. */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

async function expectPageShown(page: Page, heading: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeAttached({ timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: /^Loading / })).toHaveCount(0);
}

for (const { id, heading } of PAGES) {
  test(`#/${id} opened directly loads without console errors`, async ({ page }) => {
    const problems = collectProblems(page);
    await page.goto(`/#/${id}`);
    await expectPageShown(page, heading);
    // The WebGPU check starts on load: wait for its verdict, so an error it logs is caught here.
    await expect(page.getByText(/WebGPU is (not )?available/).first()).toBeVisible({ timeout: 20_000 });
    expect(problems).toEqual([]);
  });
}

test('every page reached through the navigation loads without console errors', async ({ page }) => {
  const problems = collectProblems(page);
  await page.goto('/');
  for (const { nav, heading } of PAGES) {
    await page.getByRole('navigation').getByRole('link', { name: nav, exact: true }).click();
    await expectPageShown(page, heading);
  }
  expect(problems).toEqual([]);
});

const LAPTOP_VIEWPORT = { width: 1366, height: 768 };

for (const presentation of [false, true]) {
  test(`no page scrolls sideways at 1366×768${presentation ? ' in presentation mode' : ''}`, async ({ page }) => {
    await page.setViewportSize(LAPTOP_VIEWPORT);
    await page.goto('/');
    if (presentation) {
      await page.getByRole('button', { name: /^Presentation mode/ }).click();
      await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
    }
    for (const { id, heading } of PAGES) {
      await page.goto(`/#/${id}`);
      await expectPageShown(page, heading);
      await expect(page.getByText(/WebGPU is (not )?available/).first()).toBeVisible({ timeout: 20_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `#/${id} is ${overflow}px wider than the window`).toBeLessThanOrEqual(0);
    }
  });
}

test('without WebGPU every page still opens, and Runs and Classroom say why they cannot train', async ({ page }) => {
  const problems = collectProblems(page);
  // As in a browser without WebGPU: navigator.gpu does not exist at all.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  for (const { id, heading } of PAGES) {
    await page.goto(`/#/${id}`);
    await expectPageShown(page, heading);
  }
  await page.goto('/#/runs');
  await expectPageShown(page, 'Runs');
  await expect(page.getByRole('note').filter({ hasText: 'Training needs WebGPU' })).toContainText('Chrome or Edge 113');
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await page.goto('/#/classroom');
  await expectPageShown(page, 'Classroom');
  await expect(page.getByTestId('demo-outcome').first()).toContainText('Training needs WebGPU');
  await expect(page.getByRole('button', { name: 'Run demo' }).first()).toHaveAttribute('aria-disabled', 'true');
  expect(problems).toEqual([]);
});
