// GPU-versus-reference checks of the embedding lookup and its deterministic scatter-add backward.

import type { KernelCheck } from '../kernelCheck.ts';
import { runOp } from '../../testing/opHarness.ts';
import { asF32, randomArray, randomInts } from '../../testing/random.ts';
import { embedding } from './embedding.ts';
import { embeddingBackwardReference, embeddingForwardReference } from './reference.ts';

export interface EmbeddingCase {
  name: string;
  batch: number;
  time: number;
  vocab: number;
  dim: number;
  ids: Int32Array;
}

function embeddingCase(name: string, batch: number, time: number, vocab: number, dim: number, seed: number, ids?: Int32Array): EmbeddingCase {
  return { name, batch, time, vocab, dim, ids: ids ?? randomInts(batch * time, vocab, seed) };
}

/** Mostly one id (a skewed bucket spanning several chunks), sprinkled with others. */
function skewedIds(n: number, vocab: number, seed: number): Int32Array {
  const other = randomInts(n, vocab, seed);
  const coin = randomInts(n, 10, seed + 1);
  return other.map((id, i) => (coin[i]! < 9 ? 3 : id));
}

/** Ids outside [0, V) (padding-like −1, −100, V) mixed in: zero rows, no gradient. */
function idsWithInvalid(n: number, vocab: number, seed: number): Int32Array {
  const ids = randomInts(n, vocab, seed);
  const invalid = [-1, -100, vocab, vocab + 7];
  for (let i = 0; i < n; i += 9) ids[i] = invalid[(i / 9) % invalid.length]!;
  return ids;
}

export const EMBEDDING_CASES: EmbeddingCase[] = [
  embeddingCase('V=5 B·T=3·100 D=7 (many repeats)', 3, 100, 5, 7, 11),
  embeddingCase('V=300 B·T=2·37 D=130 (V > workgroup, partial column tile)', 2, 37, 300, 130, 12),
  embeddingCase('V=7 B·T=1·513 D=64 (skewed: one id in 90% of positions, 3 chunks)', 1, 513, 7, 64, 13, skewedIds(513, 7, 13)),
  embeddingCase('V=11 B·T=4·150 D=33 (ids outside [0, V) skipped)', 4, 150, 11, 33, 14, idsWithInvalid(600, 11, 14)),
];

export async function runEmbedding(c: EmbeddingCase, tableSeed: number, upstreamSeed: number) {
  const table = asF32(randomArray(c.vocab * c.dim, tableSeed));
  const dOut = asF32(randomArray(c.batch * c.time * c.dim, upstreamSeed));
  const result = await runOp(
    [
      { shape: [c.batch, c.time], data: c.ids },
      { shape: [c.vocab, c.dim], data: table.f32, param: true },
    ],
    (g, [ids, t]) => embedding(g, ids!, t!),
    dOut.f32,
  );
  return { table, dOut, ...result };
}

export const embeddingChecks: KernelCheck[] = EMBEDDING_CASES.map((c, i) => ({
  name: `embedding ${c.name}`,
  // Forward is a copy (exact). Backward sums up to ~470 values in [−1, 1] in f32: the worst
  // rounding error is well below 1e-5 absolute.
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  async run() {
    const { table, dOut, output, grads } = await runEmbedding(c, 100 + i, 200 + i);
    return [
      { what: 'forward', actual: output, expected: embeddingForwardReference(c.ids, table.f64, c.vocab, c.dim) },
      { what: 'backward dTable', actual: grads[1]!, expected: embeddingBackwardReference(c.ids, dOut.f64, c.vocab, c.dim) },
    ];
  },
}));
