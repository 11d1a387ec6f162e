// Embedding backward, pass 4 of 4: dTable[v, :] += Σ over the positions n with ids[n] = v of
// dOut[n, :], without float atomics and in a fixed order, so the result is deterministic.
// One workgroup per vocabulary row v, laid out as COLS columns × LANES lanes: lane l sums the
// bucket entries l, l + LANES, l + 2·LANES, … (positions in increasing order), then lane 0 adds
// the LANES partial sums in lane order. Rows no position uses are left untouched.
//   dout:   [N, D] f32 (N = B·T), row-major
//   sorted: [N] u32 positions grouped by id (pass 3)
//   starts: [V · chunks + 1] u32 (pass 2); bucket of v = [starts[v·chunks], starts[(v+1)·chunks])
//   dtable: [V, D] f32, accumulated (+=)

struct Params { vocab: u32, dim: u32, chunks: u32 }

@group(0) @binding(0) var<storage, read_write> dout: array<f32>;
@group(0) @binding(1) var<storage, read_write> sorted: array<u32>;
@group(0) @binding(2) var<storage, read_write> starts: array<u32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

override COLS: u32 = 64u;
override LANES: u32 = 4u;

var<workgroup> partial: array<f32, COLS * LANES>;
var<workgroup> bucket: vec2<u32>;

@compute @workgroup_size(COLS, LANES)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
) {
  let v = wid.x + wid.y * nwg.x;
  if (v >= params.vocab) { return; }
  let col = lid.x;
  let lane = lid.y;
  if (col == 0u && lane == 0u) {
    bucket = vec2<u32>(starts[v * params.chunks], starts[(v + 1u) * params.chunks]);
  }
  let range = workgroupUniformLoad(&bucket);
  if (range.x == range.y) { return; }
  let dim = params.dim;
  for (var c0 = 0u; c0 < dim; c0 += COLS) {
    let c = c0 + col;
    var acc = 0.0;
    if (c < dim) {
      for (var k = range.x + lane; k < range.y; k += LANES) { acc += dout[sorted[k] * dim + c]; }
    }
    partial[lane * COLS + col] = acc;
    workgroupBarrier();
    if (lane == 0u && c < dim) {
      var total = 0.0;
      for (var l = 0u; l < LANES; l++) { total += partial[l * COLS + col]; }
      dtable[v * dim + c] += total;
    }
    workgroupBarrier();
  }
}
