// CPU f64 reference of the embedding lookup and its scatter-add backward, plus an f32 emulation
// of the GPU's documented summation order (to prove the backward is order-fixed, bit for bit).

import { EMBEDDING_SUM_LANES } from './embedding.ts';

const valid = (id: number, vocab: number): boolean => Number.isInteger(id) && id >= 0 && id < vocab;

/** out[n, c] = table[ids[n], c]; zero rows for ids outside [0, V). */
export function embeddingForwardReference(ids: ArrayLike<number>, table: Float64Array, vocab: number, dim: number): Float64Array {
  const out = new Float64Array(ids.length * dim);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    if (!valid(id, vocab)) continue;
    for (let c = 0; c < dim; c++) out[n * dim + c] = table[id * dim + c]!;
  }
  return out;
}

/** dTable[v, c] = Σ_{n: ids[n] = v} dOut[n, c]. */
export function embeddingBackwardReference(ids: ArrayLike<number>, dOut: Float64Array, vocab: number, dim: number): Float64Array {
  const dTable = new Float64Array(vocab * dim);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    if (!valid(id, vocab)) continue;
    for (let c = 0; c < dim; c++) dTable[id * dim + c]! += dOut[n * dim + c]!;
  }
  return dTable;
}

/**
 * The GPU's dTable in f32, summed in its fixed order: for each row v, lane l adds the rows of
 * the positions with id v at bucket indices l, l + LANES, … (increasing position order), then
 * the lane sums are added in lane order. Rows no position uses keep their initial value.
 */
export function embeddingBackwardF32Emulation(
  ids: ArrayLike<number>,
  dOut: Float32Array,
  vocab: number,
  dim: number,
  initial = new Float32Array(vocab * dim),
): Float32Array {
  const f = Math.fround;
  const buckets: number[][] = Array.from({ length: vocab }, () => []);
  for (let n = 0; n < ids.length; n++) if (valid(ids[n]!, vocab)) buckets[ids[n]!]!.push(n);
  const out = Float32Array.from(initial);
  for (let v = 0; v < vocab; v++) {
    const bucket = buckets[v]!;
    if (bucket.length === 0) continue;
    for (let c = 0; c < dim; c++) {
      let total = 0;
      for (let lane = 0; lane < EMBEDDING_SUM_LANES; lane++) {
        let acc = 0;
        for (let k = lane; k < bucket.length; k += EMBEDDING_SUM_LANES) acc = f(acc + dOut[bucket[k]! * dim + c]!);
        total = f(total + acc);
      }
      out[v * dim + c] = f(out[v * dim + c]! + total);
    }
  }
  return out;
}
