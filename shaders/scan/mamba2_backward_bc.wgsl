// Mamba-2 scan, backward: adds the per-head partials of mamba2_backward.wgsl over the heads of
// each B/C group in a fixed order (deterministic), accumulating:
//   dxbc[row, B column (q, n)] += Σ_{h in group q} part_bc[row, h, n]        (dB)
//   dxbc[row, C column (q, n)] += Σ_{h in group q} part_bc[row, h, N + n]    (dC)
// work: as in mamba2_backward.wgsl;  dxbc: [B, T, S] (mamba2_common.wgsl).
// One invocation per (row, q, j < 2N); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> work: array<f32>;
@group(0) @binding(1) var<storage, read_write> dxbc: array<f32>;
@group(0) @binding(2) var<uniform> p: Mamba2Params;

// #include "scan/mamba2_common.wgsl"

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let n2 = 2u * p.n_state;
  if (i >= p.batch * p.t_len * p.groups * n2) { return; }
  let j = i % n2;
  let rq = i / n2;
  let q = rq % p.groups;
  let row = rq / p.groups;
  let per = p.heads / p.groups;
  var acc = 0.0;
  for (var h = q * per; h < (q + 1u) * per; h = h + 1u) { acc = acc + work[(row * p.heads + h) * n2 + j]; }
  var e = 0u;
  if (j < p.n_state) { e = b_at(row, q, j); } else { e = c_at(row, q, j - p.n_state); }
  dxbc[e] = dxbc[e] + acc;
}
