// Which runs belong to a demo. A demo launch is one sweep of the run controller whose runs carry
// the labels demoRunLabel gives; the Classroom shows the newest launch of each demo, taken from
// the runs store, so the charts and the outcome survive leaving the page and reloading it.
import type { Demo, DemoModel } from './demosFile.ts';
import type { RunView } from '../../state/runsStore.ts';

export function demoRunLabel(demo: Demo, model: DemoModel): string {
  return `Classroom · ${demo.title} · ${model.label}`;
}

export function demoSweepLabel(demo: Demo): string {
  return `Classroom: ${demo.title}`;
}

/** Per model of `demo`, its run in the demo's newest launch, or null (never launched, or removed). */
export function latestDemoRuns(runs: Readonly<Record<string, RunView>>, demo: Demo): (RunView | null)[] {
  const labels = demo.models.map((model) => demoRunLabel(demo, model));
  let newest: RunView | null = null;
  for (const run of Object.values(runs)) {
    if (labels.includes(run.label) && (newest === null || run.createdAt > newest.createdAt)) newest = run;
  }
  if (newest === null) return labels.map(() => null);
  const sweepId = newest.sweepId;
  const launch = Object.values(runs).filter((run) => run.sweepId === sweepId);
  return labels.map((label) => launch.find((run) => run.label === label) ?? null);
}
