// Starts a demo: one run per model, launched together as one sweep through the page's run
// controller, labelled so that the Classroom finds them again (demoRuns.ts).
import type { Demo } from './demosFile.ts';
import type { RunController } from '../../runs/runController.ts';
import { DEFAULT_RUN_OPTIONS } from '../../storage/runRecords.ts';
import { demoPlans, type DemoSize } from './demoPlans.ts';
import { demoRunLabel, demoSweepLabel } from './demoRuns.ts';

export function launchDemo(controller: RunController, demo: Demo, size: DemoSize): Promise<void> {
  const plans = demoPlans(demo, size);
  return controller.launch({
    kind: 'setting',
    label: demoSweepLabel(demo),
    profile: null,
    runs: demo.models.map((model, i) => ({ plan: plans[i]!, label: demoRunLabel(demo, model) })),
    options: DEFAULT_RUN_OPTIONS,
  });
}
