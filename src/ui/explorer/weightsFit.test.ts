import { describe, expect, it } from 'vitest';
import { makeSetting } from '../../tasks/settings.ts';
import { weightsFitProblem } from './weightsFit.ts';

describe('weightsFitProblem', () => {
  const recall = makeSetting('in-context-recall', { vocabSize: 16, seqLen: 128 });
  it('accepts weights built for the setting on screen', () => {
    expect(weightsFitProblem({ vocabSize: 16, maxLength: 128, backbone: 'language-model' }, recall)).toBeNull();
  });
  it('names every difference and what to do', () => {
    expect(weightsFitProblem({ vocabSize: 32, maxLength: 64, backbone: 'language-model' }, recall)).toBe(
      'these weights are for a vocabulary of 32 (this setting has 16), sequences of 64 tokens (this setting has 128): pick a task and setting that match.',
    );
    expect(weightsFitProblem({ vocabSize: 16, maxLength: 128, backbone: 'autoencoder' }, recall)).toBe(
      'these weights are for the compression task (an AutoEncoder): pick a task and setting that match.',
    );
  });
});
