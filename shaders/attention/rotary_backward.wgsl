// Rotary backward: the transpose of a rotation is the rotation by −θ, accumulated into dx:
//   dx_a += dy_a·cos(θ) + dy_b·sin(θ),  dx_b += dy_b·cos(θ) − dy_a·sin(θ).
//   dy, dx: [B, T, H, d] f32;  table: [2, T, d/2] f32 (see rotary_forward.wgsl)
// #include "common/index.wgsl"

struct Params { pairs: u32, half: u32, heads: u32, time: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.pairs) { return; }
  let row = i / params.half;
  let j = i - row * params.half;
  let t = (row / params.heads) % params.time;
  let c = table[t * params.half + j];
  let s = table[(params.time + t) * params.half + j];
  let ia = row * 2u * params.half + j;
  let ib = ia + params.half;
  let ga = dy[ia];
  let gb = dy[ib];
  dx[ia] += ga * c + gb * s;
  dx[ib] += gb * c - ga * s;
}
