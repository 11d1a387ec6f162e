// In-context recall (CR) and noisy in-context recall (NR), docs/protocol.md §1.1–§1.2.
// NR is CR with noise slots; mad-lab's NR function only forwards its arguments.

import type { Prng } from '../prng.ts';
import { invalidSetting } from '../settings.ts';
import { IGNORE_INDEX, type InstanceGenerator, type TaskInstance, type TaskSetting, type TokenRole } from '../types.ts';

/**
 * Next-token shift shared by the recall tasks: the model reads seq[:-1] and predicts seq[1:]
 * (training) or only the scored targets tgt[1:] (test).
 */
export function shiftedInstance(
  seq: Int32Array,
  seqTargets: Int32Array,
  seqRoles: readonly TokenRole[],
  length: number,
  isTraining: boolean,
): TaskInstance {
  return {
    inputs: seq.slice(0, length - 1),
    targets: (isTraining ? seq : seqTargets).slice(1, length),
    roles: seqRoles.slice(0, length - 1),
  };
}

export function createInContextRecallGenerator(setting: TaskSetting, rng: Prng): InstanceGenerator {
  const { vocabSize, seqLen, multiQuery, fracNoise, noiseVocabSize } = setting;
  // Single-query reserves V−1 as copy prefix; multi-query has no special token at all.
  const copyPrefix = vocabSize - 1;
  const kvVocab = (multiQuery ? vocabSize : vocabSize - 1) - noiseVocabSize;
  const numKeys = Math.floor(kvVocab / 2);
  const numValues = kvVocab - numKeys;
  const firstNoise = kvVocab;

  if (seqLen % 2 !== 0 || seqLen < 4) throw invalidSetting(setting, `seqLen must be even and ≥ 4, got ${seqLen}`);
  if (numKeys < 1) throw invalidSetting(setting, `vocabSize ${vocabSize} leaves no key/value ids`);
  if (fracNoise >= 1) throw invalidSetting(setting, `fracNoise must be < 1, got ${fracNoise}`);
  if (fracNoise > 0 && noiseVocabSize < 1) throw invalidSetting(setting, 'fracNoise > 0 needs noiseVocabSize > 0');

  const numSlots = seqLen / 2;
  const rawLength = multiQuery ? seqLen : seqLen + 1;
  const seq = new Int32Array(rawLength);
  const seqTargets = new Int32Array(rawLength);
  const seqRoles = new Array<TokenRole>(rawLength);
  const valueOfKey = new Int32Array(numKeys);
  const presentedKeys = new Int32Array(numKeys);

  return (isTraining) => {
    valueOfKey.fill(-1);
    let numPresented = 0;
    let pos = 0;
    const push = (token: number, target: number, role: TokenRole): void => {
      seq[pos] = token;
      seqTargets[pos] = target;
      seqRoles[pos] = role;
      pos++;
    };

    // The guard slot can never be noise, so a sequence keeps at least one key (unless guard is the probe slot).
    const guard = rng.integer(numSlots);
    for (let slot = 0; slot < numSlots - 1; slot++) {
      if (fracNoise > 0 && slot !== guard && rng.random() < fracNoise) {
        push(firstNoise + rng.integer(noiseVocabSize), IGNORE_INDEX, 'noise');
        push(firstNoise + rng.integer(noiseVocabSize), IGNORE_INDEX, 'noise');
        continue;
      }
      const key = rng.integer(numKeys);
      const seenBefore = valueOfKey[key] !== -1;
      if (!seenBefore) {
        valueOfKey[key] = numKeys + rng.integer(numValues);
        presentedKeys[numPresented++] = key;
      }
      const value = valueOfKey[key];
      push(key, IGNORE_INDEX, 'key');
      // Only a repeated key's value is recallable, and only multi-query scores it.
      push(value, seenBefore && multiQuery ? value : IGNORE_INDEX, 'value');
    }

    if (numPresented === 0) {
      // mad-lab's numpy choice fails here too; it needs every slot to be noise.
      throw invalidSetting(setting, 'every slot became noise, so there is no key to probe');
    }
    const probeKey = presentedKeys[rng.integer(numPresented)];
    const probeValue = valueOfKey[probeKey];
    if (!multiQuery) push(copyPrefix, IGNORE_INDEX, 'copy');
    push(probeKey, IGNORE_INDEX, 'key');
    push(probeValue, probeValue, 'value');

    return shiftedInstance(seq, seqTargets, seqRoles, pos, isTraining);
  };
}
