// Channel window with wrap-around (Hyena's tied projection groups and stream splits):
//   y[row, j] = x[row, (OFF + j) mod CIN]  for j < N.
// x: [ROWS, CIN] (ROWS = B·T); y: [ROWS, N]. Tiling u 4× is OFF = 0, N = 4·CIN; taking block k
// of width W is OFF = k·W, N = W.
// #include "common/index.wgsl"

struct Params { total: u32, cin: u32, n: u32, off: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.total) { return; }
  let row = i / params.n;
  let j = i % params.n;
  y[i] = x[row * params.cin + (params.off + j) % params.cin];
}
