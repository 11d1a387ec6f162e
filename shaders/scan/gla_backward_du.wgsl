// RWKV bonus gradient: du[h, i] += Σ_b Σ_c du_part[b, h, c, i] in a fixed order (no atomics).
// scratch: du_part [B, H, NC, DK] starts at element `offset` (see gla_backward.wgsl); du: [H, DK].
// #include "common/index.wgsl"

struct DuParams { batch: u32, heads: u32, nc: u32, dk: u32, offset: u32 }

@group(0) @binding(0) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(1) var<storage, read_write> du: array<f32>;
@group(0) @binding(2) var<uniform> params: DuParams;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg, WG);
  if (e >= params.heads * params.dk) { return; }
  let h = e / params.dk;
  let i = e % params.dk;
  var acc = 0.0;
  for (var b = 0u; b < params.batch; b++) {
    for (var c = 0u; c < params.nc; c++) {
      acc += scratch[params.offset + ((b * params.heads + h) * params.nc + c) * params.dk + i];
    }
  }
  du[e] = du[e] + acc;
}
