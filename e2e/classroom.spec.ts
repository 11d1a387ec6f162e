// The Classroom page and presentation mode in the production build, in Chromium with WebGPU on
// SwiftShader. The demos are sized for a laptop GPU; on SwiftShader (a CPU) one would take hours,
// so the page is opened with `?demoScale=tiny`, which trains each model for four steps on short
// sequences: enough to check the wiring (keyboard start, live chart points, the outcome line), not
// the science. Screenshots at laptop (1366×768) and projector (1920×1080) size go to the report.
import { expect, test, type Page, type TestInfo } from '@playwright/test';

const LAPTOP = { width: 1366, height: 768 };
const PROJECTOR = { width: 1920, height: 1080 };
const CLASSROOM_URL = '/?demoScale=tiny#/classroom';
const FIRST_DEMO = 'attention-solves-recall';
const DEMO_TITLES = ['Why attention solves recall', 'Noise vs. gating', 'What the delta rule adds', 'Memorization needs parameters'];

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

async function rootStyle(page: Page): Promise<{ fontSize: number; color: string; background: string }> {
  return page.evaluate(() => {
    const root = getComputedStyle(document.documentElement);
    const body = getComputedStyle(document.body);
    return { fontSize: parseFloat(root.fontSize), color: body.color, background: body.backgroundColor };
  });
}

/** The page fits its width: nothing sticks out sideways at this viewport. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('presentation mode: large type and high contrast from the button or the P key, kept across reloads', async ({ page }, testInfo) => {
  await page.setViewportSize(LAPTOP);
  await page.goto(CLASSROOM_URL);
  await expect(page.getByRole('heading', { name: 'Classroom', level: 1 })).toBeVisible();
  for (const title of DEMO_TITLES) {
    const card = page.getByRole('article', { name: title });
    await expect(card).toBeVisible();
    await expect(card.getByRole('button', { name: 'Run demo' })).toBeVisible();
    // From the speed measured by the stored gate check (e2e/globalSetup.ts), never an assumed one.
    await expect(card.getByTestId('demo-estimate')).toHaveText(/training time ≈ \d+ (s|min|h \d+ min) on this adapter \(measured\)$/);
  }
  await expect(page.getByTestId('demo-scale-note')).toBeVisible();

  const toggle = page.getByRole('button', { name: /presentation mode/i });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(toggle).toHaveAttribute('aria-keyshortcuts', 'P');
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'off');
  const normal = await rootStyle(page);
  await attachScreenshot(page, testInfo, 'classroom-laptop.png');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
  const presenting = await rootStyle(page);
  expect(presenting.fontSize).toBeGreaterThan(normal.fontSize * 1.2);
  expect(presenting.color).toBe('rgb(0, 0, 0)');
  expect(presenting.background).toBe('rgb(255, 255, 255)');
  await expectNoHorizontalOverflow(page);
  await attachScreenshot(page, testInfo, 'classroom-presentation-laptop.png');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
  await page.setViewportSize(PROJECTOR);
  await expectNoHorizontalOverflow(page);
  await attachScreenshot(page, testInfo, 'classroom-presentation-projector.png');

  // The Task Explorer in presentation mode, at both sizes.
  await page.getByRole('link', { name: 'Task Explorer' }).click();
  await expect(page.getByTestId('token-grid')).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await attachScreenshot(page, testInfo, 'explorer-presentation-projector.png');
  await page.setViewportSize(LAPTOP);
  await expectNoHorizontalOverflow(page);
  await attachScreenshot(page, testInfo, 'explorer-presentation-laptop.png');

  // The shortcut turns it off again (focus on the page body, not in a text field).
  await page.locator('body').press('p');
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'off');
  expect((await rootStyle(page)).fontSize).toBe(normal.fontSize);
});

test('a demo starts from the keyboard, its charts fill live and its outcome is read out, without moving the page', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.setViewportSize(PROJECTOR);
  await page.goto(CLASSROOM_URL);
  await page.locator('body').press('p');
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');

  const card = page.getByTestId(`demo-${FIRST_DEMO}`);
  const runButton = card.getByRole('button', { name: 'Run demo' });
  const nextCard = page.getByRole('article', { name: DEMO_TITLES[1] });
  const nextCardTop = async () => (await nextCard.boundingBox())!.y + (await page.evaluate(() => window.scrollY));

  // The button waits for the page's run controller (IndexedDB opened, adapter checked); the card's
  // estimate reads "measuring…" until the kept GPU check is read, so the layout settles only then.
  await expect(runButton).toHaveAttribute('aria-disabled', 'false');
  await expect(card.getByTestId('demo-estimate')).toContainText('(measured)');
  const topBefore = await nextCardTop();
  // Tab from the top of the page until the first demo's Run button has the focus.
  let reached = false;
  for (let presses = 0; presses < 30 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await runButton.evaluate((button) => button === document.activeElement);
  }
  expect(reached).toBe(true);
  // The focus ring is drawn (presentation mode: a 4px outline).
  expect(await runButton.evaluate((button) => getComputedStyle(button).outlineWidth)).toBe('4px');
  await page.keyboard.press('Enter');

  await expect(card.getByRole('button', { name: 'Running…' })).toBeVisible();
  const accuracyCharts = card.getByTestId('chart-accuracy');
  await expect(accuracyCharts).toHaveCount(2);
  for (const chart of await accuracyCharts.all()) {
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
  }
  await attachScreenshot(page, testInfo, 'classroom-demo-running-projector.png');

  const outcome = card.getByTestId('demo-outcome');
  await expect(outcome).toHaveAttribute('data-finished', 'true', { timeout: 60_000 });
  await expect(outcome).toHaveText(/^Test accuracy: attention (\d\.\d\d|diverged) vs MLP (\d\.\d\d|diverged)$/);
  await expect(card.getByRole('button', { name: 'Run again' })).toBeVisible();
  expect(await nextCardTop()).toBe(topBefore);

  await page.setViewportSize(LAPTOP);
  await attachScreenshot(page, testInfo, 'classroom-demo-finished-laptop.png');
  expect(errors).toEqual([]);
});
