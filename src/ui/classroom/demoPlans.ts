// The run plans a demo starts: one per architecture, all on the demo's setting and training.
//
// `?demoScale=tiny` in the page URL shrinks every demo to a few training steps. The end-to-end
// test uses it: there WebGPU runs on SwiftShader (a CPU), where a demo sized for a laptop GPU
// would take hours, and the test checks the wiring (start, live chart points, the outcome line),
// not the science. The page says so whenever the size is not the full one.
import type { Demo } from './demosFile.ts';
import type { RunPlan } from '../../train/types.ts';

export type DemoSize = 'full' | 'tiny';

/** The tiny size: a few sequences, two epochs of two steps, length at most 16. */
const TINY = { maxSeqLen: 16, numTrainExamples: 16, numTestExamples: 8, batchSize: 8, epochs: 2 } as const;

export function demoSizeFromSearch(search: string): DemoSize {
  return new URLSearchParams(search).get('demoScale') === 'tiny' ? 'tiny' : 'full';
}

export function demoPlans(demo: Demo, size: DemoSize): RunPlan[] {
  const setting =
    size === 'tiny'
      ? {
          ...demo.setting,
          seqLen: Math.min(demo.setting.seqLen, TINY.maxSeqLen),
          numTrainExamples: TINY.numTrainExamples,
          numTestExamples: TINY.numTestExamples,
        }
      : demo.setting;
  const training = size === 'tiny' ? { ...demo.training, batchSize: TINY.batchSize, epochs: TINY.epochs } : demo.training;
  return demo.models.map(({ architecture }) => ({ architecture, setting, training }));
}
