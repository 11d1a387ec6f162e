// mad-lab results on the Runs page: a logs folder written by our CLI's `benchmark` (mad-lab's
// layout: <logs>/<run-dir>/results.csv, committed under e2e/fixtures/madlab-logs with one
// deliberately malformed results.csv) is picked with the folder input, and the results table shows
// the per-task MAD scores and their mean that `npm run mad -- scores DIR --json` prints for the same
// folder, with a warning naming the malformed file and the note saying which tasks have no run.
//
// The fixture was made once with
//   npx tsx src/cli/mad.ts benchmark --profile-file src/cli/commands/benchmarkTiny.yml \
//     --layers hyena swiglu --dim 16 --logs-path e2e/fixtures/madlab-logs
// (keeping results.csv and run.json), plus the run folder with lr 0.01, whose results.csv lacks
// four of mad-lab's six columns.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { TASK_NAMES } from '../src/tasks/types.ts';
import type { MadScores } from '../src/train/madScore.ts';

const LOGS = fileURLToPath(new URL('./fixtures/madlab-logs', import.meta.url));
const MALFORMED = 't-M_vs-16_sl-8_ntr-256_nte-64_km-1_vm-1_mq-1_fn-0#0_nvs-0_ntc-0_bs-128_e-2_lr-0#01_wd-0#0_opt-adamw_sch-cosine_s-12345_model-H-Sg/results.csv';

test('a mad-lab logs folder joins the results table and the radar, with a warning naming the malformed file', async ({ page }) => {
  // What the command line prints for the same folder: the page must show the same numbers.
  const printed = execFileSync('npx', ['tsx', 'src/cli/mad.ts', 'scores', LOGS, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const { models, notes } = JSON.parse(printed) as { models: MadScores[]; notes: string[] };
  expect(models.map((m) => m.modelId)).toEqual(['H-Sg']);
  const expected = models[0]!;
  const scoredTasks = TASK_NAMES.filter((task) => expected.tasks[task] !== undefined);
  expect(scoredTasks).toEqual(['in-context-recall', 'memorization']);

  await page.goto('/#/runs');
  await expect(page.getByRole('heading', { name: 'Results from mad-lab' })).toBeVisible();
  await page.getByTestId('import-logs-input').setInputFiles(LOGS);

  const summary = page.getByTestId('import-logs-summary');
  await expect(summary).toContainText('Read 2 runs from madlab-logs (model H-Sg).');
  const warnings = page.getByTestId('import-logs-warnings').getByRole('listitem');
  await expect(warnings).toHaveCount(1);
  await expect(warnings.first()).toContainText(`madlab-logs/${MALFORMED}`);
  await expect(warnings.first()).toContainText("the header lacks mad-lab's columns");
  // What the scores leave out is said as the command line says it: four of the six tasks have no run.
  expect(notes).toEqual([expect.stringMatching(/^model H-Sg has no scored run of noisy-in-context-recall, .*: its mean is over the other 2 of the 6 tasks\.$/)]);
  await expect(page.getByTestId('import-logs-notes').getByRole('listitem')).toHaveText(notes);

  const table = page.getByTestId('results-table');
  for (const task of scoredTasks) {
    const row = table.locator(`tr[data-task="${task}"][data-source="mad-lab"]`);
    await expect(row).toContainText('H-Sg (imported from mad-lab)');
    await expect(row.getByTestId('mad-score')).toContainText(expected.tasks[task]!.score.toFixed(3));
  }
  const mean = table.locator('tfoot tr[data-source="mad-lab"]');
  await expect(mean.getByTestId('mad-mean')).toHaveText(`${expected.mean!.toFixed(3)} over 2 tasks`);

  const radar = page.getByTestId('radar-values').locator('tr', { hasText: 'H-Sg (imported from mad-lab)' });
  for (const task of scoredTasks) await expect(radar.locator(`td[data-task="${task}"]`)).toHaveText(expected.tasks[task]!.score.toFixed(3));

  // Importing the same folder again counts its runs once.
  await page.getByTestId('import-logs-input').setInputFiles(LOGS);
  await expect(table.locator('tr[data-task="memorization"][data-source="mad-lab"]')).toContainText('1 of 1');
  await page.getByRole('button', { name: 'Clear imported results' }).click();
  await expect(table.locator('[data-source="mad-lab"]')).toHaveCount(0);
});
