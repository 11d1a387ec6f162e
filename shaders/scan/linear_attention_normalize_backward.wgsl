// Backward of y[r, j] = num[r, j] / (den[r] + eps), one invocation per row r (loops over DV):
//   dnum[r, j] += dy[r, j] / (den[r] + eps);   dden[r] += −Σ_j dy[r, j] · num[r, j] / (den[r] + eps)².
// num, dy, dnum: [B, T, H, DV]; den, dden: [B, T, H]. Accumulates.
// #include "common/index.wgsl"

struct Params { rows: u32, dv: u32, eps: f32 }

@group(0) @binding(0) var<storage, read_write> num: array<f32>;
@group(0) @binding(1) var<storage, read_write> den: array<f32>;
@group(0) @binding(2) var<storage, read_write> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dnum: array<f32>;
@group(0) @binding(4) var<storage, read_write> dden: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg, WG);
  if (r >= params.rows) { return; }
  let inv = 1.0 / (den[r] + params.eps);
  var acc = 0.0;
  for (var j = 0u; j < params.dv; j++) {
    let e = r * params.dv + j;
    dnum[e] = dnum[e] + dy[e] * inv;
    acc += dy[e] * num[e];
  }
  dden[r] = dden[r] - acc * inv * inv;
}
