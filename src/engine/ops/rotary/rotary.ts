// Rotary position embedding (RoPE), GPT-NeoX / flash-attn non-interleaved layout (docs/protocol.md §4.2),
// applied to q or k laid out [B, T, H, d] with the rotary dimension equal to the head dimension:
// the two halves of each head vector are rotated pairwise by θ = t · base^(−2j/d), t = 0…T−1.
// Backward is the rotation by −θ. The cos/sin table is computed once per (T, d, base) in f64 on
// the CPU and shared by every rotary call of the graph (q and k of every attention layer).

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export interface RotaryOptions {
  heads: number;
  headDim: number;
  /** Frequency base; 10000 in MAD (flash-attn's default). */
  base?: number;
}

export const ROTARY_SHADERS = {
  forward: ['attention/rotary_forward.wgsl'],
  backward: ['attention/rotary_backward.wgsl'],
} as const;

const WORKGROUP = 256;

/** cos then sin of θ[t, j] = t · base^(−2j/d), as [2, T, d/2], in f64 (rounded to f32 once). */
export function rotaryTable(time: number, headDim: number, base: number): Float32Array {
  const half = headDim / 2;
  const table = new Float32Array(2 * time * half);
  for (let t = 0; t < time; t++) {
    for (let j = 0; j < half; j++) {
      const theta = t * base ** ((-2 * j) / headDim);
      table[t * half + j] = Math.cos(theta);
      table[(time + t) * half + j] = Math.sin(theta);
    }
  }
  return table;
}

const tables = new WeakMap<Graph, Map<string, Tensor>>();

/** The cos/sin table of `rotaryTable` as a graph constant, planned once per graph and shape. */
export function rotaryTableTensor(g: Graph, time: number, headDim: number, base: number): Tensor {
  let perGraph = tables.get(g);
  if (!perGraph) tables.set(g, (perGraph = new Map()));
  const key = `${time}/${headDim}/${base}`;
  let t = perGraph.get(key);
  if (!t) {
    t = g.input([2, time, headDim / 2], 'f32', `rotary.table(T=${time}, d=${headDim}, base=${base})`, rotaryTable(time, headDim, base));
    perGraph.set(key, t);
  }
  return t;
}

/**
 * x: [B, T, H, d] (or [B, T, H·d]) f32 → rotated copy of the same shape. Position = index along
 * axis 1. Rotary dimension = head dimension (as in every MAD attention variant).
 */
export function rotary(g: Graph, x: Tensor, { heads, headDim, base = 10000 }: RotaryOptions): Tensor {
  if (x.dtype !== 'f32') throw new Error(`rotary: needs f32 input, got ${x}`);
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0) throw new Error(`rotary: head dim must be even, got ${headDim}`);
  const shapeOk =
    (x.rank === 4 && x.shape[2] === heads && x.shape[3] === headDim) || (x.rank === 3 && x.shape[2] === heads * headDim);
  if (!shapeOk) throw new Error(`rotary: expected [B, T, ${heads}, ${headDim}] or [B, T, ${heads * headDim}], got ${x}`);
  const time = x.shape[1]!;
  const half = headDim / 2;
  const pairs = x.size / 2;
  const table = rotaryTableTensor(g, time, headDim, base);
  const y = g.tensor(x.shape, 'f32', `rotary(${x.label})`);
  const params = packUniform([
    ['u32', pairs],
    ['u32', half],
    ['u32', heads],
    ['u32', time],
  ]);
  const workgroups = grid1d(pairs / WORKGROUP);
  g.launch({
    label: 'rotary forward',
    source: shaderSource(ROTARY_SHADERS.forward[0]),
    entryPoint: 'main',
    constants: { WG: WORKGROUP },
    bindings: [bind(x), bind(table), bind(y), { kind: 'uniform', data: params }],
    workgroups,
  });
  g.apply('rotary', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'rotary backward',
      source: shaderSource(ROTARY_SHADERS.backward[0]),
      entryPoint: 'main',
      constants: { WG: WORKGROUP },
      bindings: [bind(dy!), bind(table), bind(dx), { kind: 'uniform', data: params }],
      workgroups,
    });
  });
  return y;
}
