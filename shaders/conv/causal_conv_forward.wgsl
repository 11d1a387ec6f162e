// Depthwise causal Conv1d over time (Hyena's short filter, K = 3; Mamba's conv, K = 4):
//   y[b,t,c] = bias[c] + Σ_{j=0}^{K−1} w[c,j] · x[b, t−(K−1)+j, c]      (x = 0 for negative time)
// x, y: [B, T, C] f32;  w: [C, K] f32;  bias: [C] f32 (a 1-element placeholder when has_bias = 0).
// One invocation per output element; 1-D grid spread over x and y (flat_index).
// #include "common/index.wgsl"

struct Params { n: u32, t_len: u32, c_dim: u32, k: u32, has_bias: u32 }

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let c = i % p.c_dim;
  let row = i / p.c_dim;
  let t = row % p.t_len;
  var acc = 0.0;
  if (p.has_bias == 1u) { acc = bias[c]; }
  for (var j = 0u; j < p.k; j = j + 1u) {
    // Source time t − (K−1) + j; skip the ones before the sequence start.
    let back = p.k - 1u - j;
    if (back <= t) {
      acc = acc + w[c * p.k + j] * x[i - back * p.c_dim];
    }
  }
  y[i] = acc;
}
