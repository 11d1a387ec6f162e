// Selective scan: packs the per-channel coefficients once per step (fewer bindings downstream):
//   coef[c, n] = −exp(A_log[c, n])  (n < N);   coef[c, N] = D[c]
// A_log: [Dc, N];  D: [Dc];  states: coef occupies its first Dc·(N+1) floats
// (see selective_scan_common.wgsl).  One invocation per element of coef.
// #include "common/index.wgsl"

struct Params { c_dim: u32, n_state: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> a_log: array<f32>;
@group(0) @binding(1) var<storage, read_write> d_skip: array<f32>;
@group(0) @binding(2) var<storage, read_write> states: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let w = p.n_state + 1u;
  if (i >= p.c_dim * w) { return; }
  let c = i / w;
  let n = i % w;
  if (n < p.n_state) {
    states[i] = -exp(a_log[c * p.n_state + n]);
  } else {
    states[i] = d_skip[c];
  }
}
