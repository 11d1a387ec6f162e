// Backward of y = a ∘ b for operands of the output's own shape (no broadcasting), elementwise:
//   add: da += dy, db += dy;   sub: da += dy, db −= dy;   mul: da += dy · b, db += dy · a.
//   dy, da, db, a, b: [N] f32 (e.g. N = B·T·D).
// Entry points (each binds only what it touches, in this order, because WebGPU rejects
// overlapping writable storage bindings — a tensor cannot fill two slots of one dispatch):
//   both: [dy, da, params, b, db, a] — both gradients in one pass over dy.
//   one:  [dy, dg, params, o]        — dg += factor · dy · (mul ? o : 1), for one operand
//         (o = the other operand, factor ±1), or for x ∘ x (o = x, factor 2).
// Broadcast operands reduce their gradient with shaders/reduce/reduce_{forward,product}.wgsl.
// #include "common/index.wgsl"

struct Params { n: u32, factor: f32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> g1: array<f32>; // da (both) or dg (one)
@group(0) @binding(2) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> x1: array<f32>; // b (both) or o (one)
@group(0) @binding(4) var<storage, read_write> g2: array<f32>; // db (both)
@group(0) @binding(5) var<storage, read_write> x2: array<f32>; // a (both)

const OP_ADD: u32 = 0u;
const OP_SUB: u32 = 1u;
const OP_MUL: u32 = 2u;

override OP: u32 = 0u;
override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn both(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  let g = dy[i];
  if (OP == OP_MUL) {
    g1[i] = g1[i] + g * x1[i];
    g2[i] = g2[i] + g * x2[i];
  } else if (OP == OP_SUB) {
    g1[i] = g1[i] + g;
    g2[i] = g2[i] - g;
  } else {
    g1[i] = g1[i] + g;
    g2[i] = g2[i] + g;
  }
}

@compute @workgroup_size(WG)
fn one(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= p.n) { return; }
  var t = p.factor * dy[i];
  if (OP == OP_MUL) { t = t * x1[i]; }
  g1[i] = g1[i] + t;
}
