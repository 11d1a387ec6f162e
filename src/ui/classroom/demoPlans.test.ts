import { describe, expect, it } from 'vitest';
import { DEMOS } from './demos.ts';
import { createTaskStream, modelInputLength } from '../../tasks/stream.ts';
import { demoPlans, demoSizeFromSearch } from './demoPlans.ts';

describe('demo run plans', () => {
  it('reads the scale from the query string, full unless it says tiny', () => {
    expect(demoSizeFromSearch('')).toBe('full');
    expect(demoSizeFromSearch('?demoScale=tiny')).toBe('tiny');
    expect(demoSizeFromSearch('?demoScale=huge')).toBe('full');
  });

  for (const demo of DEMOS) {
    it(`${demo.id}: one plan per model, the demo's own setting and training at full scale`, () => {
      const plans = demoPlans(demo, 'full');
      expect(plans.map((p) => p.architecture)).toEqual(demo.models.map((m) => m.architecture));
      for (const plan of plans) {
        expect(plan.setting).toEqual(demo.setting);
        expect(plan.training).toEqual(demo.training);
      }
    });

    it(`${demo.id}: the tiny scale keeps task and models but trains 2 epochs of 2 steps on short sequences`, () => {
      for (const plan of demoPlans(demo, 'tiny')) {
        expect(plan.setting.task).toBe(demo.setting.task);
        expect(plan.setting.seqLen).toBeLessThanOrEqual(16);
        expect(Math.ceil(plan.setting.numTrainExamples / plan.training.batchSize) * plan.training.epochs).toBe(4);
        expect(plan.training.lr).toBe(demo.training.lr);
        // The shrunk setting still generates instances of the expected length.
        expect(createTaskStream(plan.setting).next('train').inputs.length).toBe(modelInputLength(plan.setting));
      }
    });
  }
});
