// Mamba-2 scan, backward: finishes dA_log and dD from the per-(b, chunk) partials of
// mamba2_backward.wgsl, in a fixed order (deterministic), accumulating:
//   dA_log[h] += A_h · Σ_{b,k} part_ad[b·K+k, h, 0]     (A = −exp(A_log), so ∂A/∂A_log = A)
//   dD[h]     += Σ_{b,k} part_ad[b·K+k, h, 1]
// work: as in mamba2_backward.wgsl (part_ad at ad_off);  states: coef (A_h at 2h);
// dA_log, dD: [H] (mamba2_common.wgsl).  One invocation per head; 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> work: array<f32>;
@group(0) @binding(1) var<storage, read_write> states: array<f32>;
@group(0) @binding(2) var<storage, read_write> da_log: array<f32>;
@group(0) @binding(3) var<storage, read_write> dd: array<f32>;
@group(0) @binding(4) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let h = flat_index(gid, nwg, WG);
  if (h >= p.heads) { return; }
  let parts = p.batch * p.n_chunks;
  var a_sum = 0.0;
  var d_sum = 0.0;
  for (var r = 0u; r < parts; r = r + 1u) {
    a_sum = a_sum + work[p.ad_off + (r * p.heads + h) * 2u];
    d_sum = d_sum + work[p.ad_off + (r * p.heads + h) * 2u + 1u];
  }
  da_log[h] = da_log[h] + states[2u * h] * a_sum;
  dd[h] = dd[h] + d_sum;
}
