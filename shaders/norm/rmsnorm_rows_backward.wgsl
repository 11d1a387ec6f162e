// RMSNorm backward for dx, barrier-free: one invocation per row (the 'rows' variant; the weight
// gradient is rmsnorm_rows_param_grad.wgsl's). With x̂ = x · rstd and g = dy ⊙ w:
//   dx += rstd · (g − x̂ · mean(g ⊙ x̂))
//   x, dy, dx: [N, D] f32;  w: [D];  rstd: [N] (saved by the forward). 1-D grid of row blocks.
// #include "common/index.wgsl"

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
@group(0) @binding(5) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG);
  if (row >= p.rows) { return; }
  let base = row * p.d;
  let r = rstd[row];
  var dot = 0.0;
  for (var c = 0u; c < p.d; c = c + 1u) { dot = dot + dy[base + c] * w[c] * x[base + c]; }
  let m = dot * r / f32(p.d); // mean(g ⊙ x̂)
  for (var c = 0u; c < p.d; c = c + 1u) {
    dx[base + c] = dx[base + c] + r * (dy[base + c] * w[c] - x[base + c] * r * m);
  }
}
