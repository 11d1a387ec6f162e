// Strided sum over a set of axes — the engine's deterministic reduction, used for sum/mean over
// the last axis and to reduce broadcast gradients back to an operand's shape (binary backward):
//
//   dst[chunk·K + j]  (= or +=)  scale · Σ_{r in chunk} src[s(j, r)]
//
// j ∈ [0, K) runs row-major over the kept axes (the result's own layout), r ∈ [0, R) row-major
// over the reduced axes; s is src's strided offset. At most 8 merged axes each. Example, the
// bias gradient of a [B, T, D] + b [D]: kept [D] stride 1, reduced [B·T] stride D.
//   src: e.g. dy [B, T, D] f32;  dst: [chunks, K] f32 — partial sums when the launch has several
//   chunks (a later launch sums them), else the result [K] (e.g. db [D]).
// Grid: x·y spread over ceil(K / COLS) column blocks, z = chunk (each covers r_chunk terms).
// Workgroup: COLS outputs × ROWS lanes (COLS·ROWS = WG); each lane sums a strided share of the
// chunk, then a tree in workgroup memory adds the lanes in a fixed order (no atomics, bitwise
// reproducible). LANES_INNER puts one output's lanes on consecutive invocations when the reduced
// axis is the contiguous one (row sums), the outputs when it is not (column sums), so neighbouring
// invocations read neighbouring addresses.
// reduce_product.wgsl is the same reduction of src · other (mul's backward).
// #include "reduce/reduce_core.wgsl"

fn load_term(s_off: u32, o_off: u32) -> f32 {
  return src[s_off];
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lin: u32,
) {
  reduce_main(wid, nwg, lin);
}
