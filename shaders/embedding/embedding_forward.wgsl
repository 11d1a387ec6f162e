// Embedding lookup: out[n, c] = table[ids[n], c], and 0 for an id outside [0, V).
//   ids:   [B·T] i32 (N = B·T positions)
//   table: [V, D] f32, row-major
//   out:   [B·T, D] f32, row-major
// One invocation per output element: consecutive invocations read consecutive columns of one
// table row, so loads and stores are coalesced.
// #include "common/index.wgsl"

struct Params { n: u32, dim: u32, vocab: u32 }

@group(0) @binding(0) var<storage, read_write> ids: array<i32>;
@group(0) @binding(1) var<storage, read_write> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n * params.dim) { return; }
  let row = i / params.dim;
  let c = i - row * params.dim;
  let id = ids[row];
  var value = 0.0;
  if (id >= 0 && u32(id) < params.vocab) { value = table[u32(id) * params.dim + c]; }
  out[i] = value;
}
