// RWKV's token-shift mix with the shift fused in (x′[b, t] = x[b, t−1], x′[b, 0] = 0):
//   'rwkv5'  y = x·μ + x′·(1 − μ)        (time_mix_*, μ[i] = i/d at init)
//   'rwkv6'  y = x + (x′ − x)·m          (time_maa_*, m[i] = 1 − i/d at init)
// One dispatch forward. Backward: dx (the shift folded in: one dispatch) and dmix = Σ_rows of
// dy·(x − x′) (or its negative) as a deterministic two-pass reduction: partial sums over chunks
// of ROWS rows, then one pass over the chunks. No atomics.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const TOKEN_SHIFT_MIX_SHADERS = {
  forward: 'sequence/token_shift_mix_forward.wgsl',
  backward: 'sequence/token_shift_mix_backward.wgsl',
} as const;

export type TokenShiftMixMode = 'rwkv5' | 'rwkv6';

const WORKGROUP = 256;
/** Rows per partial sum of dmix (B·T = 16384 at MAD sizes → 256 partials per channel). */
export const TOKEN_SHIFT_MIX_ROWS = 64;

/** x: [..., T, D], mix: D values (any shape, e.g. [1, 1, D]) → y: shape of x. */
export function tokenShiftMix(g: Graph, x: Tensor, mix: Tensor, mode: TokenShiftMixMode): Tensor {
  if (x.dtype !== 'f32' || mix.dtype !== 'f32') throw new Error(`tokenShiftMix: needs f32 inputs, got ${x}, ${mix}`);
  if (x.shape.length < 2) throw new Error(`tokenShiftMix: x must be [..., T, D], got ${x}`);
  const d = x.shape[x.shape.length - 1]!;
  const t = x.shape[x.shape.length - 2]!;
  if (mix.size !== d) throw new Error(`tokenShiftMix: mix ${mix} must hold D = ${d} values`);
  const rows = x.size / d;
  const chunks = Math.ceil(rows / TOKEN_SHIFT_MIX_ROWS);
  const y = g.tensor(x.shape, 'f32', `tokenShiftMix(${x.label}, ${mix.label})`);
  const params = packUniform([
    ['u32', x.size],
    ['u32', t],
    ['u32', d],
    ['u32', TOKEN_SHIFT_MIX_ROWS],
    ['u32', chunks],
  ]);
  const uniform = { kind: 'uniform' as const, data: params };
  const constants = { WG: WORKGROUP, MODE: mode === 'rwkv5' ? 0 : 1 };
  g.launch({
    label: `tokenShiftMix ${mode} forward`,
    source: shaderSource(TOKEN_SHIFT_MIX_SHADERS.forward),
    entryPoint: 'main',
    constants,
    bindings: [bind(x), bind(mix), bind(y), uniform],
    workgroups: grid1d(x.size / WORKGROUP),
  });
  g.apply('tokenShiftMix', [x, mix], [y], ([dy], [dx, dmix]) => {
    const source = shaderSource(TOKEN_SHIFT_MIX_SHADERS.backward);
    if (dx) {
      g.launch({
        label: `tokenShiftMix ${mode} backward dx`,
        source,
        entryPoint: 'dx',
        constants,
        bindings: [uniform, bind(mix), bind(dy!), bind(dx)],
        workgroups: grid1d(x.size / WORKGROUP),
      });
    }
    if (dmix) {
      const partial = g.tensor([chunks, d], 'f32', `tokenShiftMix partial d(${mix.label})`);
      g.launch({
        label: `tokenShiftMix ${mode} backward dmix partial`,
        source,
        entryPoint: 'dmix_partial',
        constants: { ...constants, ROWS: TOKEN_SHIFT_MIX_ROWS },
        bindings: [uniform, bind(x), bind(dy!), bind(partial)],
        workgroups: grid1d((chunks * d) / WORKGROUP),
      });
      g.launch({
        label: `tokenShiftMix ${mode} backward dmix final`,
        source,
        entryPoint: 'dmix_final',
        constants,
        bindings: [uniform, bind(partial), bind(dmix)],
        workgroups: grid1d(d / WORKGROUP),
      });
    }
  });
  return y;
}
