// y = a ∘ b with NumPy broadcasting, ∘ ∈ {+, −, ×} chosen by the override OP.
//   y: [...] the broadcast shape, e.g. [B, T, D];  a, b: shapes that broadcast to it, e.g.
//   [B, T, D] and [D] (bias), [B, T, 1] (per-row gate) or [B, T, D].
// The output index space is described by up to 8 merged axes (sizes), and each operand by its
// strides along them (0 where broadcast); [B, T, D] + [B, T, D] is a single axis. One invocation
// per output element; 1-D grid spread over x and y.
// Entry points: main (a, b distinct tensors); main_contiguous (a, b and y of one shape: no index
// arithmetic, whose integer divisions cost CPU adapters more than the operation itself);
// main_same (a ∘ a, e.g. x · x: one tensor cannot be bound twice, since WebGPU rejects
// overlapping writable storage bindings in one dispatch).
// #include "common/index.wgsl"

struct Params {
  n: u32,
  rank: u32,
  _pad0: u32,
  _pad1: u32,
  size: array<vec4<u32>, 2>,
  a_stride: array<vec4<u32>, 2>,
  b_stride: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> b: array<f32>; // main only

const OP_ADD: u32 = 0u;
const OP_SUB: u32 = 1u;
const OP_MUL: u32 = 2u;

override OP: u32 = 0u;
override WG: u32 = 256u;

// Offsets into a and b of output element i.
fn operand_offsets(i: u32) -> vec2<u32> {
  var rem = i;
  var off = vec2<u32>(0u, 0u);
  for (var d = p.rank; d > 0u; d = d - 1u) {
    let h = (d - 1u) >> 2u;
    let k = (d - 1u) & 3u;
    let size = p.size[h][k];
    let coord = rem % size;
    rem = rem / size;
    off = off + coord * vec2<u32>(p.a_stride[h][k], p.b_stride[h][k]);
  }
  return off;
}

fn combine(va: f32, vb: f32) -> f32 {
  switch OP {
    case OP_SUB: { return va - vb; }
    case OP_MUL: { return va * vb; }
    default: { return va + vb; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let off = operand_offsets(i);
  y[i] = combine(a[off.x], b[off.y]);
}

@compute @workgroup_size(WG)
fn main_contiguous(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  y[i] = combine(a[i], b[i]);
}

@compute @workgroup_size(WG)
fn main_same(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let v = a[i];
  y[i] = combine(v, v);
}
