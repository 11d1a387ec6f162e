// RMSNorm forward, barrier-free: one invocation per row (the 'rows' variant for CPU adapters,
// which run workgroups as coroutines and pay for every barrier; see normShared.ts).
//   y = x · rstd ⊙ w,  rstd = 1 / sqrt(mean(x²) + eps)
//   x, y: [N, D] f32;  w: [D];  rstd: [N], saved for backward. 1-D grid of row blocks.
// #include "common/index.wgsl"

struct Params { rows: u32, d: u32, eps: f32, _pad: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = flat_index(gid, nwg, WG);
  if (row >= p.rows) { return; }
  let base = row * p.d;
  var ss = 0.0;
  for (var c = 0u; c < p.d; c = c + 1u) {
    let v = x[base + c];
    ss = ss + v * v;
  }
  let r = 1.0 / sqrt(ss / f32(p.d) + p.eps);
  rstd[row] = r;
  for (var c = 0u; c < p.d; c = c + 1u) { y[base + c] = x[base + c] * r * w[c]; }
}
