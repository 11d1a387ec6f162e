// Stage 2 of the conv's parameter gradients: adds the partial rows of
// causal_conv_backward_params.wgsl in a fixed order (deterministic) and accumulates:
//   dw[c, j] += Σ_p partial[p, c·(K+1) + j]   (j < K);   db[c] += Σ_p partial[p, c·(K+1) + K]
// partial: [P, C·(K+1)];  dw: [C, K];  db: [C] (a 1-element placeholder when has_bias = 0).
// One invocation per column.
// #include "common/index.wgsl"

struct Params { parts: u32, c_dim: u32, k: u32, has_bias: u32 }

@group(0) @binding(0) var<storage, read_write> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> dw: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let col = flat_index(gid, nwg, WG);
  let width = p.c_dim * (p.k + 1u);
  if (col >= width) { return; }
  var acc = 0.0;
  for (var q = 0u; q < p.parts; q = q + 1u) { acc = acc + partial[q * width + col]; }
  let c = col / (p.k + 1u);
  let j = col % (p.k + 1u);
  if (j < p.k) {
    dw[c * p.k + j] = dw[c * p.k + j] + acc;
  } else if (p.has_bias == 1u) {
    db[c] = db[c] + acc;
  }
}
