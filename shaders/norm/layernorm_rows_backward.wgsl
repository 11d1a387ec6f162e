// LayerNorm backward for dx, barrier-free: one invocation per row (the 'rows' variant; the
// parameter gradients are layernorm_rows_param_grad.wgsl's). With x̂ = (x − mean) · rstd and
// g = dy ⊙ w:
//   dx += rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))
//   x, dy, dx: [N, D] f32;  w: [D];  mean, rstd: [N] (saved by the forward). 1-D grid of row blocks.
// #include "common/index.wgsl"

struct Params { rows: u32, d: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG);
  if (row >= p.rows) { return; }
  let base = row * p.d;
  let inv_d = 1.0 / f32(p.d);
  let mu = mean[row];
  let r = rstd[row];
  var sum_g = 0.0;
  var sum_gx = 0.0;
  for (var c = 0u; c < p.d; c = c + 1u) {
    let g = dy[base + c] * w[c];
    sum_g = sum_g + g;
    sum_gx = sum_gx + g * (x[base + c] - mu) * r;
  }
  let mean_g = sum_g * inv_d;
  let mean_gx = sum_gx * inv_d;
  for (var c = 0u; c < p.d; c = c + 1u) {
    let xh = (x[base + c] - mu) * r;
    dx[base + c] = dx[base + c] + r * (dy[base + c] * w[c] - mean_g - xh * mean_gx);
  }
}
