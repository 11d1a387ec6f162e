// Token embedding: out[b, t, :] = table[ids[b, t], :]. The backward scatter-adds dOut into dTable
// with repeated ids summed deterministically and without float atomics: a stable counting sort of
// the positions by id (per-chunk counts, one prefix sum, placement), then one workgroup per
// vocabulary row sums its positions' rows in increasing position order (docs/kernels.md).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

const WORKGROUP = 256;
/** Positions per chunk of the counting sort (= invocations per workgroup of pass 1). */
export const EMBEDDING_CHUNK = 256;
/** Layout of the per-row workgroups of the final sum (columns × lanes over positions). */
export const EMBEDDING_SUM_COLS = 64;
export const EMBEDDING_SUM_LANES = 4;

export const EMBEDDING_SHADERS = {
  forward: ['embedding/embedding_forward.wgsl'],
  backward: [
    'embedding/embedding_backward_count.wgsl',
    'embedding/embedding_backward_scan.wgsl',
    'embedding/embedding_backward_place.wgsl',
    'embedding/embedding_backward.wgsl',
  ],
} as const;

/**
 * ids: [..., ] i32 (any shape, typically [B, T]); table: [V, D] f32 (a parameter).
 * Returns [...ids.shape, D]. Ids outside [0, V) give zero rows and no gradient.
 */
export function embedding(g: Graph, ids: Tensor, table: Tensor): Tensor {
  if (ids.dtype !== 'i32') throw new Error(`embedding: ids must be i32, got ${ids}`);
  if (table.dtype !== 'f32' || table.rank !== 2) throw new Error(`embedding: table must be [V, D] f32, got ${table}`);
  const [vocab, dim] = table.shape as [number, number];
  const n = ids.size;
  const out = g.tensor([...ids.shape, dim], 'f32', `embedding(${table.label})`);
  g.launch({
    label: 'embedding forward',
    source: shaderSource(EMBEDDING_SHADERS.forward[0]),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [
      bind(ids),
      bind(table),
      bind(out),
      {
        kind: 'uniform',
        data: packUniform([
          ['u32', n],
          ['u32', dim],
          ['u32', vocab],
        ]),
      },
    ],
    workgroups: grid1d((n * dim) / WORKGROUP),
  });

  g.apply('embedding', [ids, table], [out], ([dOut], [, dTable]) => {
    if (!dTable) return;
    const chunks = Math.ceil(n / EMBEDDING_CHUNK);
    // Scratch of the counting sort, planned once and fully rewritten every step.
    const ranks = g.tensor([n], 'u32', 'embedding.ranks');
    const starts = g.tensor([vocab * chunks + 1], 'u32', 'embedding.starts');
    const sorted = g.tensor([n], 'u32', 'embedding.sorted');
    const sortParams = packUniform([
      ['u32', n],
      ['u32', vocab],
      ['u32', chunks],
    ]);
    g.launch({
      label: 'embedding backward: count',
      source: shaderSource(EMBEDDING_SHADERS.backward[0]),
      entryPoint: 'main',
      constants: { CHUNK: EMBEDDING_CHUNK },
      bindings: [bind(ids), bind(ranks), bind(starts), { kind: 'uniform', data: sortParams }],
      workgroups: grid1d(chunks),
    });
    g.launch({
      label: 'embedding backward: scan',
      source: shaderSource(EMBEDDING_SHADERS.backward[1]),
      entryPoint: 'main',
      constants: { WG: WORKGROUP },
      bindings: [bind(starts), { kind: 'uniform', data: packUniform([['u32', vocab * chunks]]) }],
      workgroups: [1, 1, 1],
    });
    g.launch({
      label: 'embedding backward: place',
      source: shaderSource(EMBEDDING_SHADERS.backward[2]),
      entryPoint: 'main',
      constants: { WG: WORKGROUP, CHUNK: EMBEDDING_CHUNK },
      bindings: [bind(ids), bind(ranks), bind(starts), bind(sorted), { kind: 'uniform', data: sortParams }],
      workgroups: grid1d(n / WORKGROUP),
    });
    g.launch({
      label: 'embedding backward: sum rows',
      source: shaderSource(EMBEDDING_SHADERS.backward[3]),
      entryPoint: 'main',
      constants: { COLS: EMBEDDING_SUM_COLS, LANES: EMBEDDING_SUM_LANES },
      bindings: [
        bind(dOut!),
        bind(sorted),
        bind(starts),
        bind(dTable),
        {
          kind: 'uniform',
          data: packUniform([
            ['u32', vocab],
            ['u32', dim],
            ['u32', chunks],
          ]),
        },
      ],
      workgroups: grid1d(vocab),
    });
  });
  return out;
}
