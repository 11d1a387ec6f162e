// Linear attention's normaliser: y[r, j] = num[r, j] / (den[r] + eps), one row r per (b, t, h).
// num, y: [B, T, H, DV]; den: [B, T, H] (= φq_t · Σ_{s≤t} φk_s, from the chunked recurrence with v = 1).
// No safeguard beyond eps (mad-lab has none: φ can go negative and den can approach 0).
// #include "common/index.wgsl"

struct Params { n: u32, dv: u32, eps: f32 }

@group(0) @binding(0) var<storage, read_write> num: array<f32>;
@group(0) @binding(1) var<storage, read_write> den: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg, WG);
  if (e >= params.n) { return; }
  y[e] = num[e] / (den[e / params.dv] + params.eps);
}
