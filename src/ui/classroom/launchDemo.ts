// Starts a demo: one run per model, launched together as one sweep through the page's run
// controller, labelled so that the Classroom finds them again (demoRuns.ts).
import type { Demo } from '../../config/demosFile.ts';
import type { RunController } from '../../worker/runController.ts';
import { DEFAULT_RUN_OPTIONS } from '../../worker/runRecords.ts';
import { demoPlans, type DemoScale } from './demoPlans.ts';
import { demoRunLabel, demoSweepLabel } from './demoRuns.ts';

export function launchDemo(controller: RunController, demo: Demo, scale: DemoScale): Promise<void> {
  const plans = demoPlans(demo, scale);
  return controller.launch({
    kind: 'setting',
    label: demoSweepLabel(demo),
    profile: null,
    runs: demo.models.map((model, i) => ({ plan: plans[i]!, label: demoRunLabel(demo, model) })),
    options: DEFAULT_RUN_OPTIONS,
  });
}
