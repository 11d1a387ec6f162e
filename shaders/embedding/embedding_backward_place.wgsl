// Embedding backward, pass 3 of 4: sorted[start(id, chunk) + rank] = position. Stable: within an
// id's bucket, positions appear in increasing order, whatever order the GPU ran anything in.
//   ids:    [N] i32;  ranks: [N] u32 (pass 1)
//   starts: [V · chunks + 1] u32 (pass 2)
//   sorted: [N] u32 (only the first `total` entries are written)
// #include "common/index.wgsl"

struct Params { n: u32, vocab: u32, chunks: u32 }

@group(0) @binding(0) var<storage, read_write> ids: array<i32>;
@group(0) @binding(1) var<storage, read_write> ranks: array<u32>;
@group(0) @binding(2) var<storage, read_write> starts: array<u32>;
@group(0) @binding(3) var<storage, read_write> sorted: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

override WG: u32 = 256u;
// Must equal CHUNK of pass 1.
override CHUNK: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let raw = ids[i];
  if (raw < 0 || u32(raw) >= params.vocab) { return; }
  let id = u32(raw);
  sorted[starts[id * params.chunks + i / CHUNK] + ranks[i]] = i;
}
