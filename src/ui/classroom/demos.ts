// The classroom demos of configs/demos/*.yml (read by config/demoFiles.ts), in the order the
// Classroom page shows them.

import { demoTexts } from '../../config/demoFiles.ts';
import { parseDemo, type Demo } from './demosFile.ts';

/** Presentation order: the simplest contrast first. */
export const DEMO_IDS = ['attention-solves-recall', 'noise-vs-gating', 'delta-vs-linear', 'memorization-needs-parameters'] as const;

const texts = demoTexts();

function demo(id: string): Demo {
  const text = texts[id];
  if (text === undefined) throw new Error(`configs/demos/${id}.yml is missing`);
  return parseDemo(id, text);
}

export const DEMOS: readonly Demo[] = DEMO_IDS.map(demo);

