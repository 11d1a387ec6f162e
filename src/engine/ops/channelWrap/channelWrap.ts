// A window of channels with wrap-around: y[..., j] = x[..., (offset + j) mod Cin] for j < n.
// Hyena's layout ops (docs/protocol.md §4.3): tiling the tied input projection u 4× along channels
// (offset 0, n = 4·Cin: channel j holds u[j mod Cin]) and splitting the short-filtered streams
// into consecutive blocks (offset k·W, n = W). Backward sums the copies of each input channel.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform } from '../../uniform.ts';

export const CHANNEL_WRAP_SHADERS = {
  forward: 'conv/channel_wrap_forward.wgsl',
  backward: 'conv/channel_wrap_backward.wgsl',
} as const;

const WG = 256;

export function channelWrap(g: Graph, x: Tensor, offset: number, n: number): Tensor {
  const cin = x.lastDim;
  if (x.dtype !== 'f32') throw new Error(`channelWrap: needs f32, got ${x}`);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(n) || n < 1) {
    throw new Error(`channelWrap: bad window offset ${offset}, width ${n}`);
  }
  const rows = x.size / cin;
  const y = g.tensor([...x.shape.slice(0, -1), n], 'f32', `${x.label}[${offset}:+${n}]`);
  const fields = (total: number) =>
    packUniform([
      ['u32', total],
      ['u32', cin],
      ['u32', n],
      ['u32', offset],
    ]);
  g.launch({
    label: 'channel wrap forward',
    source: shaderSource(CHANNEL_WRAP_SHADERS.forward),
    entryPoint: 'main',
    constants: { WG },
    bindings: [bind(x), bind(y), { kind: 'uniform', data: fields(rows * n) }],
    workgroups: grid1d((rows * n) / WG),
  });
  g.apply('channelWrap', [x], [y], ([dy], [dx]) => {
    if (!dx) return;
    g.launch({
      label: 'channel wrap backward',
      source: shaderSource(CHANNEL_WRAP_SHADERS.backward),
      entryPoint: 'main',
      constants: { WG },
      bindings: [bind(dy!), bind(dx), { kind: 'uniform', data: fields(rows * cin) }],
      workgroups: grid1d((rows * cin) / WG),
    });
  });
  return y;
}

/** Tiles the channels `reps` times: channel j of the result holds x[..., j mod C]. */
export function tileChannels(g: Graph, x: Tensor, reps: number): Tensor {
  return channelWrap(g, x, 0, reps * x.lastDim);
}

/** Channels [offset, offset + width) of x. */
export function sliceChannels(g: Graph, x: Tensor, offset: number, width: number): Tensor {
  if (offset + width > x.lastDim) throw new Error(`sliceChannels: [${offset}, ${offset + width}) exceeds ${x}`);
  return channelWrap(g, x, offset, width);
}
