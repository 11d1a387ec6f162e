// Selective scan, backward: finishes dA_log and dD from the per-(b, chunk) partials of
// selective_scan_backward.wgsl, in a fixed order (deterministic), accumulating:
//   dA_log[c,n] += A[c,n] · Σ_p part_ad[p, c·(N+1)+n]     (A = −exp(A_log), so ∂A/∂A_log = A)
//   dD[c]       += Σ_p part_ad[p, c·(N+1)+N]
// work: as in selective_scan_backward.wgsl (part_ad at ad_off, P = B·K rows);
// A_log, dA_log: [Dc, N];  dD: [Dc].  One invocation per column of part_ad.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> work: array<f32>;
@group(0) @binding(1) var<storage, read_write> a_log: array<f32>;
@group(0) @binding(2) var<storage, read_write> da_log: array<f32>;
@group(0) @binding(3) var<storage, read_write> dd: array<f32>;
@group(0) @binding(4) var<uniform> p: ScanParams;

// #include "scan/selective_scan_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let col = flat_index(gid, nwg, WG);
  let width = p.c_dim * (p.n_state + 1u);
  if (col >= width) { return; }
  let parts = p.batch * p.n_chunks;
  var acc = 0.0;
  for (var q = 0u; q < parts; q = q + 1u) { acc = acc + work[p.ad_off + q * width + col]; }
  let c = col / (p.n_state + 1u);
  let n = col % (p.n_state + 1u);
  if (n < p.n_state) {
    let j = c * p.n_state + n;
    da_log[j] = da_log[j] - exp(a_log[j]) * acc;
  } else {
    dd[c] = dd[c] + acc;
  }
}
