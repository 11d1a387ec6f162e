// Mamba-2 scan: packs the per-head coefficients once per step (fewer bindings downstream):
//   coef[2h] = A_h = −exp(A_log[h]);   coef[2h+1] = D_h
// A_log, D: [H];  states: coef occupies its first 2H floats (mamba2_common.wgsl).
// One invocation per head; 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> a_log: array<f32>;
@group(0) @binding(1) var<storage, read_write> d_skip: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let h = flat_index(gid, nwg, WG);
  if (h >= p.heads) { return; }
  states[2u * h] = -exp(a_log[h]);
  states[2u * h + 1u] = d_skip[h];
}
