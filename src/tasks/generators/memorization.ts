// Memorization (M), docs/protocol.md §1.4: recall facts from a fixed key→value table that never appears in context.

import { Prng } from '../prng.ts';
import { invalidSetting } from '../settings.ts';
import { IGNORE_INDEX, type InstanceGenerator, type TaskSetting, type TokenRole } from '../types.ts';

/** Fisher–Yates from the last element down, as numpy's shuffle does. */
function shuffleInPlace(rng: Prng, items: Int32Array): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
}

function range(first: number, endExclusive: number): Int32Array {
  return Int32Array.from({ length: endExclusive - first }, (_, i) => first + i);
}

/** The fixed fact table: keys in shuffled order and the value of each key id. */
export interface FactTable {
  keys: Int32Array;
  valueOfKey: Int32Array;
}

/**
 * Pairs shuffled keys with shuffled values over `vocab` ids, using a generator of its own
 * seeded with `seed`, so every instance of both splits sees the same table.
 */
export function buildFactTable(vocab: number, seed: number): FactTable {
  const tableRng = new Prng(seed);
  const numKeys = Math.floor(vocab / 2);
  const keys = range(0, numKeys);
  const values = range(numKeys, vocab);
  shuffleInPlace(tableRng, keys);
  shuffleInPlace(tableRng, values);
  const valueOfKey = new Int32Array(numKeys);
  keys.forEach((key, i) => {
    valueOfKey[key] = values[i];
  });
  return { keys, valueOfKey };
}

export function createMemorizationGenerator(setting: TaskSetting, rng: Prng): InstanceGenerator {
  const { vocabSize, seqLen, fracNoise, noiseVocabSize, seed } = setting;
  const insert = vocabSize - 1;
  const firstNoise = vocabSize - 1 - noiseVocabSize;
  if (vocabSize < 3) throw invalidSetting(setting, `vocabSize must be ≥ 3, got ${vocabSize}`);
  if (seqLen < 2) throw invalidSetting(setting, `seqLen must be ≥ 2, got ${seqLen}`);
  if (fracNoise > 0 && (noiseVocabSize < 1 || firstNoise < 0)) {
    throw invalidSetting(setting, 'fracNoise > 0 needs 1 ≤ noiseVocabSize < vocabSize');
  }

  // mad-lab's config builds the table over V−1 ids regardless of noise_vocab_size, so with
  // noise the noise ids overlap the table's upper values; kept for fidelity (benchmark has no noise).
  const table = buildFactTable(vocabSize - 1, seed);
  const numKeys = table.keys.length;

  // mad-lab emits seqLen // 2 pairs and no shift, so an odd seqLen yields seqLen − 1 tokens.
  const numSlots = Math.floor(seqLen / 2);
  const length = 2 * numSlots;

  return () => {
    const inputs = new Int32Array(length);
    const targets = new Int32Array(length);
    const roles = new Array<TokenRole>(length);
    const guard = rng.integer(numSlots);
    for (let slot = 0; slot < numSlots; slot++) {
      const at = 2 * slot;
      if (fracNoise > 0 && slot !== guard && rng.random() < fracNoise) {
        inputs[at] = firstNoise + rng.integer(noiseVocabSize);
        inputs[at + 1] = firstNoise + rng.integer(noiseVocabSize);
        targets[at] = targets[at + 1] = IGNORE_INDEX;
        roles[at] = roles[at + 1] = 'noise';
        continue;
      }
      const key = table.keys[rng.integer(numKeys)];
      inputs[at] = key;
      targets[at] = IGNORE_INDEX;
      roles[at] = 'key';
      // The value is asked for at the insert token, right after its key.
      inputs[at + 1] = insert;
      targets[at + 1] = table.valueOfKey[key];
      roles[at + 1] = 'insert';
    }
    return { inputs, targets, roles };
  };
}
