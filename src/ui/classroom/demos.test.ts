import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateArchitecture } from '../../model/architecture.ts';
import { validateSetting } from '../../tasks/settings.ts';
import { createTaskStream, modelInputLength } from '../../tasks/stream.ts';
import { IGNORE_INDEX } from '../../tasks/types.ts';
import { DEMO_IDS, DEMOS } from './demos.ts';
import { parseDemo } from './demosFile.ts';
import { DEMO_SECONDS_BOUND, estimateDemoCompute } from './demosCompute.ts';

const DEMOS_DIR = fileURLToPath(new URL('../../../configs/demos/', import.meta.url));

const sentences = (text: string) => text.split(/(?<=[.!?])\s+(?=[A-Z"“])/).length;

describe('classroom demos (configs/demos/*.yml)', () => {
  it('lists every demo file exactly once, in DEMO_IDS order', () => {
    const files = readdirSync(DEMOS_DIR).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4));
    expect([...DEMO_IDS].sort()).toEqual(files.sort());
    expect(DEMOS.map((demo) => demo.id)).toEqual([...DEMO_IDS]);
  });

  for (const demo of DEMOS) {
    describe(demo.id, () => {
      it('compares valid architectures on a valid setting whose generator draws scored instances', () => {
        expect(demo.models.length).toBeGreaterThanOrEqual(2);
        for (const { architecture } of demo.models) expect(validateArchitecture(architecture)).toEqual([]);
        expect(() => validateSetting(demo.setting)).not.toThrow();
        const instance = createTaskStream(demo.setting).next('test');
        expect(instance.inputs.length).toBe(modelInputLength(demo.setting));
        expect([...instance.targets].some((t) => t !== IGNORE_INDEX)).toBe(true);
      });

      it('explains itself in three to five sentences and states what to expect', () => {
        const count = sentences(demo.explanation);
        expect(count).toBeGreaterThanOrEqual(3);
        expect(count).toBeLessThanOrEqual(5);
        expect(demo.expectation.length).toBeGreaterThan(40);
      });

      it(`is estimated to finish within ${DEMO_SECONDS_BOUND} s on a laptop GPU`, () => {
        const estimate = estimateDemoCompute(demo);
        console.log(
          `${demo.id}: ${(estimate.flops / 1e12).toFixed(2)} TFLOP, ${estimate.steps} steps, ≈ ${estimate.seconds.toFixed(1)} s (` +
            estimate.models.map((m) => `${m.label}: ${m.parameters.toLocaleString('en')} parameters, ${(m.flops / 1e12).toFixed(2)} TFLOP`).join('; ') +
            ')',
        );
        expect(estimate.seconds).toBeLessThanOrEqual(DEMO_SECONDS_BOUND);
        expect(estimate.flops).toBeGreaterThan(0);
      });
    });
  }

  it('the estimate counts every epoch of every model: each added epoch adds the same compute, steps double with the epochs', () => {
    const demo = DEMOS[0]!;
    const at = (epochs: number) => estimateDemoCompute({ ...demo, training: { ...demo.training, epochs } });
    const [once, twice, thrice] = [at(demo.training.epochs), at(2 * demo.training.epochs), at(3 * demo.training.epochs)];
    // Linear in the epochs; the final pass over each split is paid once, so doubling adds a bit less than twice.
    expect(thrice.flops - twice.flops).toBeCloseTo(twice.flops - once.flops, -3);
    expect(twice.flops).toBeLessThan(2 * once.flops);
    expect(twice.steps).toBe(2 * once.steps);
  });
});

describe('parseDemo', () => {
  const valid = `
id: sample
title: A sample
explanation: One. Two. Three.
expectation: Something happens that is described here in enough words.
setting: { task: in-context-recall, vocabSize: 16, seqLen: 32 }
training: { epochs: 2 }
models:
  - label: a
    architecture: { dim: 16, layers: [{ type: swiglu }] }
  - label: b
    architecture: { dim: 16, layers: [{ type: mlp }] }
`;

  it('fills MAD defaults for setting and training and adds the spec version', () => {
    const demo = parseDemo('sample', valid);
    expect(demo.setting.numTrainExamples).toBe(12_800);
    expect(demo.training.batchSize).toBe(128);
    expect(demo.training.epochs).toBe(2);
    expect(demo.models[0]!.architecture.version).toBe(1);
  });

  it.each([
    ['an unknown layer type', valid.replace('type: mlp', 'type: nope'), /models\[1\] \(b\): layers\[0\]: unknown layer type "nope"/],
    ['an unknown setting key', valid.replace('seqLen: 32', 'seq_len: 32'), /unknown setting key\(s\) seq_len/],
    ['a bad hyper-parameter', valid.replace('epochs: 2', 'epochs: 0'), /training\.epochs must be an integer ≥ 1/],
    ['an id that is not the file name', valid.replace('id: sample', 'id: other'), /"id" must equal the file name/],
    ['a single model', valid.slice(0, valid.indexOf('  - label: b')), /at least two architectures/],
    ['seeds that differ', valid.replace('epochs: 2', 'epochs: 2, seed: 7'), /setting\.seed \(12345\) and training\.seed \(7\)/],
  ])('refuses %s, naming the file', (_, text, message) => {
    expect(() => parseDemo('sample', text)).toThrow(message);
    expect(() => parseDemo('sample', text)).toThrow(/^configs\/demos\/sample\.yml: /);
  });
});
