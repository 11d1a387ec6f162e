// Parameter initialisers, drawn from the seeded Prng so a seed reproduces a model exactly
// in the browser and in Node. The paper's scheme sets every Linear weight and embedding to
// N(0, 0.02) and every bias to 0 (docs/protocol.md §5.3).

import { Prng } from '../tasks/prng.ts';

export const PAPER_INIT_STD = 0.02;

/** n draws from N(0, std²) by Box–Muller. */
export function normal(rng: Prng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - rng.random(); // (0, 1]: log is finite
    const u2 = rng.random();
    const r = std * Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

export function constant(n: number, value: number): Float32Array {
  return new Float32Array(n).fill(value);
}

/** n draws from U(−bound, bound). */
export function uniform(rng: Prng, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.random() - 1) * bound;
  return out;
}
