// RWKV token-shift mix, fused with the shift (x′[b, t] = x[b, t−1], x′[b, 0] = 0):
//   MODE 0 (RWKV5 time_mix):  y = x·μ + x′·(1 − μ)
//   MODE 1 (RWKV6 time_maa):  y = x + (x′ − x)·m
// Both are y = a·x + (1 − a)·x′ with a = μ (MODE 0) or a = 1 − m (MODE 1).
//   x, y: [B, T, D] f32    mix: [D] f32.  One invocation per element.
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> mix: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

override WG: u32 = 256u;
override MODE: u32 = 0u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let c = i % params.d;
  let t = (i / params.d) % params.t;
  let xv = x[i];
  var xs = 0.0;
  if (t > 0u) { xs = x[i - params.d]; }
  if (MODE == 0u) {
    let mu = mix[c];
    y[i] = xv * mu + xs * (1.0 - mu);
  } else {
    y[i] = xv + (xs - xv) * mix[c];
  }
}
