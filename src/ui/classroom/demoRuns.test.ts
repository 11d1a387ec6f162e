import { describe, expect, it } from 'vitest';
import { DEMOS } from './demos.ts';
import { viewOfStoredRun, type RunView } from '../../state/runsStore.ts';
import { DEFAULT_RUN_OPTIONS } from '../../storage/runRecords.ts';
import { demoPlans } from './demoPlans.ts';
import { demoRunLabel, latestDemoRuns } from './demoRuns.ts';

const demo = DEMOS[0]!;
const other = DEMOS[1]!;

function run(runId: string, sweepId: string, label: string, createdAt: number): RunView {
  return viewOfStoredRun(
    {
      runId,
      plan: demoPlans(demo, 'tiny')[0]!,
      options: DEFAULT_RUN_OPTIONS,
      sweepId,
      sweepKind: 'setting',
      label,
      createdAt,
      status: 'queued',
      epochs: [],
      checkpointEpoch: null,
      result: null,
      failure: null,
    },
    false,
  );
}

const byId = (...views: RunView[]) => Object.fromEntries(views.map((v) => [v.runId, v]));
const [first, second] = demo.models.map((model) => demoRunLabel(demo, model)) as [string, string];

describe('latestDemoRuns', () => {
  it('is all null before the demo ever ran', () => {
    expect(latestDemoRuns(byId(run('x', 's', demoRunLabel(other, other.models[0]!), 5)), demo)).toEqual([null, null]);
  });

  it("returns the newest launch's run of each model, in the demo's model order", () => {
    const runs = byId(run('old-a', 'old', first, 1), run('old-b', 'old', second, 2), run('new-b', 'new', second, 11), run('new-a', 'new', first, 10));
    expect(latestDemoRuns(runs, demo).map((view) => view?.runId)).toEqual(['new-a', 'new-b']);
  });

  it("leaves a gap where a model's run of the newest launch was removed", () => {
    const runs = byId(run('old-a', 'old', first, 1), run('new-b', 'new', second, 11));
    expect(latestDemoRuns(runs, demo).map((view) => view?.runId ?? null)).toEqual([null, 'new-b']);
  });
});
