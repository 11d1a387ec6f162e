// The classroom demos of configs/demos/*.yml, bundled as text at build time (browser and Vitest),
// in the order the Classroom page shows them.

import { parseDemo, type Demo } from './demosFile.ts';

/** Presentation order: the simplest contrast first. */
export const DEMO_IDS = ['attention-solves-recall', 'noise-vs-gating', 'memorization-needs-parameters'] as const;

const ymlTextByPath: Record<string, string> = import.meta.glob('../../configs/demos/*.yml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function bundledDemo(id: string): Demo {
  const text = ymlTextByPath[`../../configs/demos/${id}.yml`];
  if (text === undefined) throw new Error(`configs/demos/${id}.yml is missing from the bundle`);
  return parseDemo(id, text);
}

export const DEMOS: readonly Demo[] = DEMO_IDS.map(bundledDemo);

