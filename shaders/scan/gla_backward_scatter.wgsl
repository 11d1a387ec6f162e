// Adds the chunked recurrence's packed gradients (see gla_backward.wgsl) to the real ones:
// dq += scratch[.., 0, :], dk += scratch[.., 1, :], dlw += scratch[.., 2, :] over [B, T, H, 3, DK],
// then dv += the [B, T, H, DV] block that follows. dq, dk, dlw: [B, T, H, DK]; dv: [B, T, H, DV]
// (a gradient nobody needs gets a throwaway tensor).
// #include "common/index.wgsl"

struct ScatterParams { nk: u32, nv: u32, dk: u32 }

@group(0) @binding(0) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(1) var<storage, read_write> dq: array<f32>;
@group(0) @binding(2) var<storage, read_write> dk: array<f32>;
@group(0) @binding(3) var<storage, read_write> dlw: array<f32>;
@group(0) @binding(4) var<storage, read_write> dv: array<f32>;
@group(0) @binding(5) var<uniform> params: ScatterParams;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg, WG);
  if (e < params.nk) {
    let row = e / params.dk;
    let i = e % params.dk;
    let at = row * 3u * params.dk + i;
    dq[e] = dq[e] + scratch[at];
    dk[e] = dk[e] + scratch[at + params.dk];
    dlw[e] = dlw[e] + scratch[at + 2u * params.dk];
  }
  if (e < params.nv) {
    dv[e] = dv[e] + scratch[3u * params.nk + e];
  }
}
