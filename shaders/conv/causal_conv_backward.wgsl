// Input gradient of the depthwise causal Conv1d (causal_conv_forward.wgsl); accumulates:
//   dx[b,s,c] += Σ_{j=0}^{K−1} w[c,j] · dy[b, s+(K−1)−j, c]      (terms with time ≥ T dropped)
// w: [C, K];  dy, dx: [B, T, C] f32.  One invocation per element of dx (flat_index grid).
// #include "common/index.wgsl"

struct Params { n: u32, t_len: u32, c_dim: u32, k: u32 }

@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let c = i % p.c_dim;
  let row = i / p.c_dim;
  let s = row % p.t_len;
  var acc = 0.0;
  for (var j = 0u; j < p.k; j = j + 1u) {
    let fwd = p.k - 1u - j;
    if (s + fwd < p.t_len) {
      acc = acc + w[c * p.k + j] * dy[i + fwd * p.c_dim];
    }
  }
  dx[i] = dx[i] + acc;
}
