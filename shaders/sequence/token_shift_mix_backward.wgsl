// RWKV token-shift mix backward (y = a·x + (1 − a)·x′, a = μ in MODE 0, a = 1 − m in MODE 1;
// see token_shift_mix_forward.wgsl). All three entry points accumulate into their gradient.
//   dx:            dx[b, t, c] += dy[b, t, c]·a_c + dy[b, t+1, c]·(1 − a_c)  (second term for t < T−1)
//   dmix_partial:  partial[p, c] = Σ_{rows r of chunk p} dy[r, c]·(x[r, c] − x′[r, c])   (MODE 0)
//                                  Σ_{rows r of chunk p} dy[r, c]·(x′[r, c] − x[r, c])   (MODE 1)
//   dmix_final:    dmix[c] += Σ_p partial[p, c]
//   x, dy, dx: [B, T, D]    mix, dmix: [D]    partial: [P, D] with P = ceil(B·T / ROWS)    (f32)
// #include "common/index.wgsl"

struct Params { n: u32, t: u32, d: u32, rows: u32, chunks: u32 }

// The uniform comes first so dmix_final (two tensors) binds a contiguous 0..2.
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> a0: array<f32>; // dx: mix    partial: x     final: partial
@group(0) @binding(2) var<storage, read_write> a1: array<f32>; // dx: dy     partial: dy    final: dmix
@group(0) @binding(3) var<storage, read_write> a2: array<f32>; // dx: dx     partial: partial

override WG: u32 = 256u;
override MODE: u32 = 0u;
/** Rows summed by one invocation of dmix_partial. */
override ROWS: u32 = 64u;

fn weight_on_x(m: f32) -> f32 {
  if (MODE == 0u) { return m; }
  return 1.0 - m;
}

@compute @workgroup_size(WG)
fn dx(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.n) { return; }
  let c = i % params.d;
  let t = (i / params.d) % params.t;
  let a = weight_on_x(a0[c]);
  var g = a1[i] * a;
  if (t + 1u < params.t) { g += a1[i + params.d] * (1.0 - a); }
  a2[i] = a2[i] + g;
}

@compute @workgroup_size(WG)
fn dmix_partial(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg, WG);
  if (i >= params.chunks * params.d) { return; }
  let c = i % params.d;
  let p = i / params.d;
  let total_rows = params.n / params.d;
  let r0 = p * ROWS;
  let r1 = min(r0 + ROWS, total_rows);
  var acc = 0.0;
  for (var r = r0; r < r1; r++) {
    let j = r * params.d + c;
    var xs = 0.0;
    if (r % params.t > 0u) { xs = a0[j - params.d]; }
    acc += a1[j] * (a0[j] - xs);
  }
  if (MODE == 1u) { acc = -acc; }
  a2[i] = acc;
}

@compute @workgroup_size(WG)
fn dmix_final(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let c = flat_index(gid, nwg, WG);
  if (c >= params.d) { return; }
  var acc = 0.0;
  for (var p = 0u; p < params.chunks; p++) { acc += a0[p * params.d + c]; }
  a1[c] = a1[c] + acc;
}
