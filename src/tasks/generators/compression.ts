// Compression (C), docs/protocol.md §1.5: reconstruct a random sequence from its final aggregation token.

import type { Prng } from '../prng.ts';
import { invalidSetting } from '../settings.ts';
import type { InstanceGenerator, TaskSetting, TokenRole } from '../types.ts';

export function createCompressionGenerator(setting: TaskSetting, rng: Prng): InstanceGenerator {
  const { vocabSize, seqLen, fracNoise, noiseVocabSize } = setting;
  const compress = vocabSize - 1;
  const dataVocab = vocabSize - 1 - noiseVocabSize;

  if (dataVocab < 1) throw invalidSetting(setting, `vocabSize ${vocabSize} leaves no data ids`);
  if (fracNoise > 0 && noiseVocabSize < 1) throw invalidSetting(setting, 'fracNoise > 0 needs noiseVocabSize > 0');

  return () => {
    const inputs = new Int32Array(seqLen);
    const roles = new Array<TokenRole>(seqLen).fill('data');
    for (let i = 0; i < seqLen - 1; i++) inputs[i] = rng.integer(dataVocab);
    inputs[seqLen - 1] = compress;
    roles[seqLen - 1] = 'compress';
    // Optional noise overwrites data tokens after all of them are drawn, as mad-lab does.
    if (fracNoise > 0) {
      for (let i = 0; i < seqLen - 1; i++) {
        if (rng.random() < fracNoise) {
          inputs[i] = dataVocab + rng.integer(noiseVocabSize);
          roles[i] = 'noise';
        }
      }
    }
    // mad-lab returns (inputs, inputs): noise positions stay scored, a known bug kept for fidelity.
    return { inputs, targets: inputs.slice(), roles };
  };
}
