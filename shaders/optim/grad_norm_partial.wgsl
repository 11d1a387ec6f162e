// Global gradient norm, stage 1 of 2: partials[w] = Σ g² over a fixed grid-stride share of the
// flat paramGrad pool (workgroup w of a fixed number W), reduced by a fixed tree: deterministic.
//   grad:     [P/4] vec4<f32>, the whole paramGrad pool (P a multiple of 64; padding is zero)
//   partials: [W] f32
// #include "common/index.wgsl"

struct Params { n4: u32, groups: u32 }

@group(0) @binding(0) var<storage, read_write> grad: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

// Must be a power of two.
override WG: u32 = 256u;

var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let w = wid.x;
  var acc = 0.0;
  for (var i = w * WG + lid; i < params.n4; i += params.groups * WG) {
    let g = grad[i];
    acc += dot(g, g);
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { red[lid] += red[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partials[w] = red[0]; }
}
