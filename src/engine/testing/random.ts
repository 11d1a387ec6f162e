// Seeded test data: reproducible inputs for reference checks and GPU-versus-reference tests.

import { Prng } from '../../tasks/prng.ts';

/** Uniform values in [lo, hi), as f64 (references) — convert with Float32Array.from for the GPU. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Prng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.random();
  return out;
}

/** Uniform integers in [0, n). */
export function randomInts(count: number, n: number, seed: number): Int32Array {
  const rng = new Prng(seed);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.integer(n);
  return out;
}

/** Rounds f64 data to f32 so the reference sees exactly what the GPU sees. */
export function asF32(x: Float64Array): { f32: Float32Array; f64: Float64Array } {
  const f32 = Float32Array.from(x);
  return { f32, f64: Float64Array.from(f32) };
}
