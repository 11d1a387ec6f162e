// Embedding backward, pass 1 of 4: a stable counting sort of the positions by id, so that
// dTable can be summed without float atomics and in a fixed order (docs/kernels.md).
// One workgroup per chunk of CHUNK consecutive positions. For each position: its rank among the
// positions of the same id earlier in its chunk. For each (id, chunk): how many positions of the
// chunk hold that id, written to hist[id · chunks + chunk] — every entry of the chunk's column is
// written (zeros first), so nothing has to be cleared beforehand and no atomics are needed.
//   ids:   [N] i32 (N = B·T); ids outside [0, V) are skipped (no gradient)
//   ranks: [N] u32 (written for valid ids only)
//   hist:  [V · chunks + 1] u32, id-major; pass 2 scans it in place
// #include "common/index.wgsl"

struct Params { n: u32, vocab: u32, chunks: u32 }

@group(0) @binding(0) var<storage, read_write> ids: array<i32>;
@group(0) @binding(1) var<storage, read_write> ranks: array<u32>;
@group(0) @binding(2) var<storage, read_write> hist: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

// Positions per chunk = invocations per workgroup; the launcher passes the same value to pass 3.
override CHUNK: u32 = 256u;
const INVALID: u32 = 0xffffffffu;

var<workgroup> chunk_ids: array<u32, CHUNK>;

@compute @workgroup_size(CHUNK)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let chunk = wid.x + wid.y * nwg.x;
  if (chunk >= params.chunks) { return; }
  let i = chunk * CHUNK + lid;
  var id = INVALID;
  if (i < params.n) {
    let raw = ids[i];
    if (raw >= 0 && u32(raw) < params.vocab) { id = u32(raw); }
  }
  chunk_ids[lid] = id;
  for (var v = lid; v < params.vocab; v += CHUNK) { hist[v * params.chunks + chunk] = 0u; }
  // The zeros above must land before any invocation of this workgroup writes a count.
  storageBarrier();
  workgroupBarrier();
  if (id == INVALID) { return; }
  var rank = 0u;
  var last = true;
  for (var j = 0u; j < CHUNK; j++) {
    if (chunk_ids[j] == id) {
      if (j < lid) { rank++; } else if (j > lid) { last = false; }
    }
  }
  ranks[i] = rank;
  if (last) { hist[id * params.chunks + chunk] = rank + 1u; }
}
