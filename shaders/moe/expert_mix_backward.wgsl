// Expert-weighted sum backward (both accumulate):
//   dz[n, c·E + e] += dy[n, c] · gate[n, e]              entry dz: one invocation per z element
//   dgate[n, e]    += Σ_c dy[n, c] · z[n, c·E + e]       entry dgate: one invocation per (n, e)
//   z, dz: [N, D·E]    gate, dgate: [N, E]    dy: [N, D]   (f32, N = B·T)
// #include "common/index.wgsl"

struct Params { n: u32, d: u32, e: u32 }

@group(0) @binding(0) var<storage, read_write> other: array<f32>; // gate (entry dz) or z (entry dgate)
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;  // dz or dgate
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn dz(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  let de = params.d * params.e;
  if (i >= params.n * de) { return; }
  let row = i / de;
  let e = i % params.e;
  let c = (i % de) / params.e;
  grad[i] = grad[i] + dy[row * params.d + c] * other[row * params.e + e];
}

@compute @workgroup_size(WG)
fn dgate(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n * params.e) { return; }
  let row = i / params.e;
  let e = i % params.e;
  let de = params.d * params.e;
  var acc = 0.0;
  for (var c = 0u; c < params.d; c++) {
    acc += dy[row * params.d + c] * other[row * de + c * params.e + e];
  }
  grad[i] = grad[i] + acc;
}
