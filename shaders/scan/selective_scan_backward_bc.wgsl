// Selective scan, backward: adds the per-channel-block partials of selective_scan_backward.wgsl
// in a fixed order (deterministic), accumulating:
//   dbc[row, b_off + n] += Σ_blk part_bc[row, blk, n]        (dB)
//   dbc[row, c_off + n] += Σ_blk part_bc[row, blk, N + n]    (dC)
// work: as in selective_scan_backward.wgsl;  dbc: [B, T, S].
// One invocation per (row, q < 2N); 1-D grid (flat_index).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> work: array<f32>;
@group(0) @binding(1) var<storage, read_write> dbc: array<f32>;
@group(0) @binding(2) var<uniform> p: ScanParams;

// #include "scan/selective_scan_common.wgsl"

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let rows = p.batch * p.t_len;
  let n2 = 2u * p.n_state;
  if (i < rows * n2) {
    let q = i % n2;
    let row = i / n2;
    var acc = 0.0;
    for (var blk = 0u; blk < p.n_cblocks; blk = blk + 1u) { acc = acc + work[(row * p.n_cblocks + blk) * n2 + q]; }
    var j = 0u;
    if (q < p.n_state) { j = b_at(row, q); } else { j = c_at(row, q - p.n_state); }
    dbc[j] = dbc[j] + acc;
  }
}
