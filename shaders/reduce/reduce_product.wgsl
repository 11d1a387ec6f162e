// Strided sum of a product over a set of axes (see reduce_forward.wgsl for the index spaces):
//
//   dst[chunk·K + j]  (= or +=)  scale · Σ_{r in chunk} src[s(j, r)] · other[o(j, r)]
//
// Used by mul's backward for a broadcast operand: db = Σ_broadcast dy · a.
//   src: e.g. dy [B, T, D] f32;  other: e.g. a [B, T, D] (any shape broadcast to src's: 0-stride
//   axes); dst: [chunks, K] partial sums or the result [K] (e.g. db [B, T, 1]).
// #include "reduce/reduce_core.wgsl"

@group(0) @binding(3) var<storage, read_write> other: array<f32>;

fn load_term(s_off: u32, o_off: u32) -> f32 {
  return src[s_off] * other[o_off];
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  reduce_main(wid, nwg, lin);
}
