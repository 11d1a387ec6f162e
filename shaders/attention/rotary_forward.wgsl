// Rotary position embedding, GPT-NeoX layout (non-interleaved; docs/protocol.md §4.2), on q or k:
// per head, with half = d/2, a = x[..., j], b = x[..., j + half] for j < half:
//   a' = a·cos(θ) − b·sin(θ),  b' = b·cos(θ) + a·sin(θ),  θ = t · base^(−2j/d).
//   x, y:  [B, T, H, d] f32, row-major (token row stride H·d)
//   table: [2, T, d/2] f32: cos(θ[t, j]) then sin(θ[t, j]), computed in f64 on the CPU
//          (built-in sin/cos are off by ~2e-4 on some adapters, and θ reaches T radians)
// One invocation per (b, t, h, j) pair: it reads and writes both halves.
// #include "common/index.wgsl"

struct Params { pairs: u32, half: u32, heads: u32, time: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.pairs) { return; }
  let row = i / params.half; // (b, t, h) flattened
  let j = i - row * params.half;
  let t = (row / params.heads) % params.time;
  let c = table[t * params.half + j];
  let s = table[(params.time + t) * params.half + j];
  let ia = row * 2u * params.half + j;
  let ib = ia + params.half;
  let a = x[ia];
  let b = x[ib];
  y[ia] = a * c - b * s;
  y[ib] = b * c + a * s;
}
