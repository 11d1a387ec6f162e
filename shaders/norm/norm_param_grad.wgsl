// Final stage of the norms' parameter gradients: adds the partial sums that
// rmsnorm_backward.wgsl / layernorm_backward.wgsl write (one row per row slot of each of their
// workgroups), in a fixed order — deterministic, no atomics:
//   dw[c] += Σ_p partial[p, c]          for c < D
//   db[c] += Σ_p partial[p, D + c]      for c < D, when n_out = 2 (LayerNorm's bias)
//   partial: [P, n_out · D] f32;  dw, db: [D] (db: a 1-element placeholder when n_out = 1).
// Workgroup: COLS columns × ROWS lanes (COLS · ROWS = WG), each lane a strided share of the P
// partial rows, then a tree over the lanes in workgroup memory. 1-D grid over column blocks.

struct Params { partial_rows: u32, d: u32, n_out: u32, _pad: u32 }

@group(0) @binding(0) var<storage, read_write> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> dw: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 256u;
override COLS: u32 = 32u;
override ROWS: u32 = 8u;

var<workgroup> lanes: array<f32, 256>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  let c = lin % COLS;
  let l = lin / COLS;
  let width = p.n_out * p.d;
  let col = (wid.x + wid.y * nwg.x) * COLS + c;
  var acc = 0.0;
  if (col < width) {
    for (var b = l; b < p.partial_rows; b = b + ROWS) { acc = acc + partial[b * width + col]; }
  }
  lanes[lin] = acc;
  workgroupBarrier();
  for (var st = ROWS / 2u; st > 0u; st = st / 2u) {
    if (l < st) { lanes[lin] = lanes[lin] + lanes[lin + st * COLS]; }
    workgroupBarrier();
  }
  if (l == 0u && col < width) {
    let total = lanes[lin];
    if (col < p.d) {
      dw[col] = dw[col] + total;
    } else {
      db[col - p.d] = db[col - p.d] + total;
    }
  }
}
