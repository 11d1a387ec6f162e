// Fuzzy in-context recall (FR), docs/protocol.md §1.3: keys and values are motifs of several distinct tokens.

import type { Prng } from '../prng.ts';
import { invalidSetting } from '../settings.ts';
import { IGNORE_INDEX, type InstanceGenerator, type TaskSetting, type TokenRole } from '../types.ts';
import { shiftedInstance } from './inContextRecall.ts';

/**
 * Writes `size` distinct ids from [first, first + poolSize) to out[at…] in uniform random order:
 * the same distribution as mad-lab's uniform pick from a shuffled list of all size-permutations,
 * without building that list.
 */
function drawMotif(rng: Prng, size: number, first: number, poolSize: number, out: Int32Array, at: number): void {
  for (let i = 0; i < size; i++) {
    let id = first + rng.integer(poolSize);
    while (occursIn(out, at, at + i, id)) id = first + rng.integer(poolSize);
    out[at + i] = id;
  }
}

function occursIn(ids: Int32Array, from: number, to: number, id: number): boolean {
  for (let i = from; i < to; i++) if (ids[i] === id) return true;
  return false;
}

export function createFuzzyRecallGenerator(setting: TaskSetting, rng: Prng): InstanceGenerator {
  const { vocabSize, seqLen, multiQuery, fracNoise, noiseVocabSize, kMotifSize, vMotifSize } = setting;
  // Single-query reserves V−1 (copy prefix) and V−2 (pad); multi-query only V−1 (pad).
  const copyPrefix = vocabSize - 1;
  const nonSpecial = multiQuery ? vocabSize - 1 : vocabSize - 2;
  const pad = nonSpecial;
  const kvVocab = nonSpecial - noiseVocabSize;
  const numKeys = Math.floor(kvVocab / 2);
  const numValues = kvVocab - numKeys;
  const firstNoise = kvVocab;
  const maxPair = kMotifSize + vMotifSize;
  // A key motif is identified by a number: digit i is (token i + 1) in base numKeys + 1,
  // so motifs of different sizes never share a code.
  const keyCodeBase = numKeys + 1;

  if (kMotifSize > numKeys) throw invalidSetting(setting, `kMotifSize ${kMotifSize} exceeds the ${numKeys} key ids`);
  if (vMotifSize > numValues) throw invalidSetting(setting, `vMotifSize ${vMotifSize} exceeds the ${numValues} value ids`);
  if (seqLen <= 2 * maxPair) {
    throw invalidSetting(setting, `seqLen must exceed 2·(kMotifSize + vMotifSize) = ${2 * maxPair}`);
  }
  if (!Number.isSafeInteger(keyCodeBase ** kMotifSize)) throw invalidSetting(setting, 'kMotifSize too large for this vocabulary');
  if (fracNoise >= 1) throw invalidSetting(setting, `fracNoise must be < 1, got ${fracNoise}`);
  if (fracNoise > 0 && noiseVocabSize < 1) throw invalidSetting(setting, 'fracNoise > 0 needs noiseVocabSize > 0');

  const paddedLength = seqLen + 1; // one extra token for the next-token shift
  const body = new Int32Array(paddedLength);
  const bodyTargets = new Int32Array(paddedLength);
  const bodyRoles = new Array<TokenRole>(paddedLength);
  const seq = new Int32Array(paddedLength);
  const seqTargets = new Int32Array(paddedLength);
  const seqRoles = new Array<TokenRole>(paddedLength);
  const probeKey = new Int32Array(kMotifSize);
  const probeValue = new Int32Array(vMotifSize);
  const key = new Int32Array(kMotifSize);
  // Remembered values live in a pool of [size, token…] records, one per distinct key, and are
  // found by key code. Values are remembered per key motif (a code already identifies its size).
  const valueStride = 1 + vMotifSize;
  const valuePool = new Int32Array(Math.ceil(paddedLength / 2) * valueStride);
  const valueRecordOfKey = new Map<number, number>();

  let len = 0;
  const push = (token: number, target: number, role: TokenRole): void => {
    body[len] = token;
    bodyTargets[len] = target;
    bodyRoles[len] = role;
    len++;
  };
  // Appends motif tokens; scored values are their own targets.
  const pushMotif = (tokens: Int32Array, at: number, size: number, role: TokenRole, scored: boolean): void => {
    for (let i = at; i < at + size; i++) push(tokens[i], scored ? tokens[i] : IGNORE_INDEX, role);
  };
  const keyCode = (tokens: Int32Array, size: number): number => {
    let code = 0;
    for (let i = size - 1; i >= 0; i--) code = code * keyCodeBase + tokens[i] + 1;
    return code;
  };

  return (isTraining) => {
    valueRecordOfKey.clear();
    let poolUsed = 0;
    len = 0;
    // Test keys always have the full motif size; training keys any size 1…k.
    const drawKeySize = (): number => (isTraining ? 1 + rng.integer(kMotifSize) : kMotifSize);

    const probeKeySize = drawKeySize();
    const probeValueSize = 1 + rng.integer(vMotifSize);
    drawMotif(rng, probeKeySize, 0, numKeys, probeKey, 0);
    drawMotif(rng, probeValueSize, numKeys, numValues, probeValue, 0);
    const probeCode = keyCode(probeKey, probeKeySize);
    const probeSize = probeKeySize + probeValueSize;
    const probeIndex = rng.integer(seqLen - 2 * probeSize);
    let probePlaced = false;

    while (len < seqLen - probeSize - maxPair) {
      const keySize = drawKeySize();
      const valueSize = 1 + rng.integer(vMotifSize); // drawn even when unused, as mad-lab does

      if (!probePlaced && len >= probeIndex) {
        pushMotif(probeKey, 0, probeKeySize, 'key', false);
        pushMotif(probeValue, 0, probeValueSize, 'value', false);
        probePlaced = true;
        continue;
      }

      if (fracNoise > 0 && rng.random() < fracNoise) {
        for (let i = 0; i < keySize + valueSize; i++) push(firstNoise + rng.integer(noiseVocabSize), IGNORE_INDEX, 'noise');
        continue;
      }

      drawMotif(rng, keySize, 0, numKeys, key, 0);
      pushMotif(key, 0, keySize, 'key', false);
      const code = keyCode(key, keySize);
      if (code === probeCode) {
        // Drawing the probe key by chance places the probe; it was presented iff the probe was placed.
        pushMotif(probeValue, 0, probeValueSize, 'value', multiQuery && probePlaced);
        probePlaced = true;
        continue;
      }
      // Any other key was presented before exactly when it has a remembered value.
      let record = valueRecordOfKey.get(code);
      const presentedBefore = record !== undefined;
      if (record === undefined) {
        record = poolUsed;
        poolUsed += valueStride;
        valuePool[record] = valueSize;
        drawMotif(rng, valueSize, numKeys, numValues, valuePool, record + 1);
        valueRecordOfKey.set(code, record);
      }
      pushMotif(valuePool, record + 1, valuePool[record], 'value', multiQuery && presentedBefore);
    }

    if (!multiQuery) push(copyPrefix, IGNORE_INDEX, 'copy');
    pushMotif(probeKey, 0, probeKeySize, 'key', false);
    pushMotif(probeValue, 0, probeValueSize, 'value', true);

    // Left-pad to seqLen + 1 so that the shifted model input has length seqLen.
    const padCount = paddedLength - len;
    seq.fill(pad, 0, padCount);
    seqTargets.fill(IGNORE_INDEX, 0, padCount);
    seqRoles.fill('pad', 0, padCount);
    seq.set(body.subarray(0, len), padCount);
    seqTargets.set(bodyTargets.subarray(0, len), padCount);
    for (let i = 0; i < len; i++) seqRoles[padCount + i] = bodyRoles[i];
    return shiftedInstance(seq, seqTargets, seqRoles, paddedLength, isTraining);
  };
}
