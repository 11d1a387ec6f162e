// Global gradient norm, stage 2 of 2: norm[0] = √(Σ partials), one workgroup, fixed order.
//   partials: [W] f32;  norm: [1] f32

struct Params { groups: u32 }

@group(0) @binding(0) var<storage, read_write> partials: array<f32>;
@group(0) @binding(1) var<storage, read_write> norm: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

// Must be a power of two.
override WG: u32 = 256u;

var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var i = lid; i < params.groups; i += WG) { acc += partials[i]; }
  red[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { red[lid] += red[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { norm[0] = sqrt(red[0]); }
}
