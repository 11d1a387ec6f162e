// How much compute a classroom demo asks for, and the sizing rule its size must meet. The cards
// show the time measured on this adapter (demoWorkload at the GPU check's speed); the rule below
// only sizes the demos, so they stay short on the GPUs a classroom has. No laptop GPU was available
// to measure one, so the rule rests on stated assumptions, not on a measurement:
// - FLOPs and steps: src/train/protocolCompute.ts runsWorkload, the accounting every estimate uses
//   (docs/protocol.md §11: 6 · non-embedding parameters · tokens, plus attention's quadratic term; the test
//   passes at a third of a trained token). Every epoch is counted (no early stop).
// - LAPTOP_GPU: a few hundred GFLOP/s sustained is what WebGPU matmuls reach on integrated and
//   entry-level laptop GPUs of 2–5 TFLOP/s peak at these small shapes; 200 GFLOP/s is the low end
//   of that, and 2 ms per step is one submit of ~100 small dispatches plus the metric readback.

import { countModel } from '../../model/counting.ts';
import { addWorkloads, trainingSeconds, type StepSpeed, type Workload } from '../../model/trainingTime.ts';
import { runsWorkload } from '../../train/protocolCompute.ts';
import type { Demo } from './demosFile.ts';
import { demoPlans, type DemoSize } from './demoPlans.ts';

/** The assumed laptop GPU of the sizing rule (not shown as a time: the cards show the measured one). */
export const LAPTOP_GPU: StepSpeed = { flopsPerSecond: 200e9, stepOverheadSeconds: 0.002 };
/** "About a minute": what every demo's time on LAPTOP_GPU must stay under (checked by demos.test.ts). */
export const DEMO_SECONDS_BOUND = 75;

export interface ModelCompute extends Workload {
  label: string;
  parameters: number;
}

export interface DemoCompute extends Workload {
  models: ModelCompute[];
  /** The sizing rule's time: the workload on LAPTOP_GPU. */
  seconds: number;
}

/** What the demo's runs at `size` ask for, all models together. */
export function demoWorkload(demo: Demo, size: DemoSize): Workload {
  return runsWorkload(demoPlans(demo, size));
}

export function estimateDemoCompute(demo: Demo): DemoCompute {
  const models = demoPlans(demo, 'full').map((plan, i): ModelCompute => {
    const { setting } = plan;
    const count = countModel(plan.architecture, { vocabSize: setting.vocabSize, maxLength: setting.seqLen, task: setting.task });
    return { label: demo.models[i]!.label, parameters: count.total, ...runsWorkload([plan]) };
  });
  const total = addWorkloads(models);
  return { models, ...total, seconds: trainingSeconds(total, LAPTOP_GPU)! };
}
