// One seeded instance stream per dataset build: all training instances are drawn first,
// then the test instances continue the same random stream (docs/protocol.md §2).

import { createCompressionGenerator } from './generators/compression.ts';
import { createFuzzyRecallGenerator } from './generators/fuzzyRecall.ts';
import { createInContextRecallGenerator } from './generators/inContextRecall.ts';
import { createMemorizationGenerator } from './generators/memorization.ts';
import { createSelectiveCopyingGenerator } from './generators/selectiveCopying.ts';
import { Prng } from './prng.ts';
import { validateSetting } from './settings.ts';
import type { InstanceGenerator, TaskInstance, TaskName, TaskSetting } from './types.ts';

export type Split = 'train' | 'test';

export interface TaskStream {
  next(split: Split): TaskInstance;
}

const GENERATOR_FACTORIES: Record<TaskName, (setting: TaskSetting, rng: Prng) => InstanceGenerator> = {
  'in-context-recall': createInContextRecallGenerator,
  'noisy-in-context-recall': createInContextRecallGenerator,
  'fuzzy-in-context-recall': createFuzzyRecallGenerator,
  memorization: createMemorizationGenerator,
  compression: createCompressionGenerator,
  'selective-copying': createSelectiveCopyingGenerator,
};

/** Throws a descriptive Error when the setting cannot produce instances. */
export function createTaskStream(setting: TaskSetting): TaskStream {
  validateSetting(setting);
  const generate = GENERATOR_FACTORIES[setting.task](setting, new Prng(setting.seed));
  return { next: (split) => generate(split === 'train') };
}

/** Length of every instance's inputs and targets for this setting. */
export function modelInputLength(setting: TaskSetting): number {
  switch (setting.task) {
    case 'in-context-recall':
    case 'noisy-in-context-recall':
      // Multi-query sequences have exactly L tokens before the next-token shift; single-query adds a copy prefix.
      return setting.multiQuery ? setting.seqLen - 1 : setting.seqLen;
    case 'memorization':
      return 2 * Math.floor(setting.seqLen / 2);
    case 'fuzzy-in-context-recall':
    case 'compression':
    case 'selective-copying':
      return setting.seqLen;
  }
}
