// Zeroes the cross-entropy accuracy counters at the start of a batch (docs/protocol.md §6 averages accuracy
// per batch, so the counters must describe one batch).
//   counters: [3, V] u32;  totals: [2] u32
// #include "common/index.wgsl"

struct Params { count: u32 }

@group(0) @binding(0) var<storage, read_write> counters: array<u32>;
@group(0) @binding(1) var<storage, read_write> totals: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i < params.count) { counters[i] = 0u; }
  if (i < 2u) { totals[i] = 0u; }
}
