// Selective copying (SC), docs/protocol.md §1.6: copy the data tokens scattered among blanks, in order.

import { Prng } from '../prng.ts';
import { invalidSetting } from '../settings.ts';
import { IGNORE_INDEX, type InstanceGenerator, type TaskSetting, type TokenRole } from '../types.ts';

/**
 * mad-lab draws blank positions from numpy's global RNG, seeded with the same seed but a
 * different generator than the main one. A separate Prng stream plays that part here, so the
 * two draws are not correlated although they share the seed.
 */
const BLANK_POSITION_STREAM = 1;

export function createSelectiveCopyingGenerator(setting: TaskSetting, rng: Prng): InstanceGenerator {
  const { vocabSize, seqLen } = setting;
  // We copy the setting's num_tokens_to_copy (T ∈ 16/32/64/96 in the grid), i.e. mad-lab after its
  // 2024-12-09 fix. Before that fix mad-lab silently used T = 16 for every setting (docs/protocol.md §1.6).
  const numToCopy = setting.numTokensToCopy;
  const copy = vocabSize - 1;
  const blank = vocabSize - 2;
  const dataVocab = vocabSize - 2;
  const numBlanks = seqLen - 2 * numToCopy - 1;

  if (numToCopy < 1) throw invalidSetting(setting, 'numTokensToCopy must be ≥ 1');
  if (numBlanks < 1) throw invalidSetting(setting, `seqLen must exceed 2·numTokensToCopy + 1 = ${2 * numToCopy + 1}`);
  if (dataVocab < 1) throw invalidSetting(setting, `vocabSize must be ≥ 3, got ${vocabSize}`);

  const blankRng = new Prng(setting.seed, BLANK_POSITION_STREAM);
  const blanksBefore = new Int32Array(numToCopy);
  const firstAnswer = numToCopy + numBlanks + 1;

  return () => {
    const inputs = new Int32Array(seqLen);
    const targets = new Int32Array(seqLen).fill(IGNORE_INDEX);
    const roles = new Array<TokenRole>(seqLen);
    for (let j = 0; j < numToCopy; j++) targets[firstAnswer + j] = rng.integer(dataVocab);

    // Each blank goes before a uniformly chosen data token (numpy.insert semantics),
    // so the last data token always directly precedes the copy token.
    blanksBefore.fill(0);
    for (let b = 0; b < numBlanks; b++) blanksBefore[blankRng.integer(numToCopy)]++;

    let pos = 0;
    for (let j = 0; j < numToCopy; j++) {
      for (let b = 0; b < (blanksBefore[j]); b++) {
        inputs[pos] = blank;
        roles[pos++] = 'blank';
      }
      inputs[pos] = targets[firstAnswer + j];
      roles[pos++] = 'data';
    }
    inputs[pos] = copy;
    roles[pos++] = 'copy';
    // The answers are scored where the trailing blanks sit.
    inputs.fill(blank, pos);
    roles.fill('blank', pos);
    return { inputs, targets, roles };
  };
}
