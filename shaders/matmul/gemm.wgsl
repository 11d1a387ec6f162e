// GEMM kernels on scalar (array<f32>) operands, any M, N, K and any strides (both transposes):
//   C[bo] = Σ_{r < red} op(A[bo, r]) · op(B[bo, r])      (layouts: gemm_params.wgsl)
// handed to the including file's epilogue() one row fragment (up to 4 columns) at a time.
// red > 1 sums slices into one output: dB of a 2-D weight shared across the batch.
// Grid: x over N, y over M, z over output batches.
//
// The including file declares `a`, `b` (array<f32> storage), `params` (uniform GemmParams) and
// `fn epilogue(c_off: u32, m: u32, n: u32, v: vec4<f32>, count: u32)`, which stores v[0..count)
// at C(m, n..n+count).
//
// Numbered kernels (llm.c style; kernel3, the vec4 one, is in gemm_vec4.wgsl):
//   kernel1 naive     one output per invocation: the readable baseline.
//   kernel2 register  barrier-free register blocking: an 8×8 block of C per invocation, kept as
//                     four mat4x4 accumulators, updated from 8×4 and 4×8 fragments of A and B
//                     per step of 4 in k. On SwiftShader (CPU) loads dominate: every per-invocation
//                     load is a gather with a robustness clamp, so the FMAs a block does per load
//                     decide speed (8×8: 4 per load, 4×4: 2) and barriers (coroutine switches)
//                     would cost more than the cache they save.
//   kernel4 tiled     (WG_Y·4)×(WG_X·4) tile per workgroup; A and B tiles of depth TILE_K staged
//                     in workgroup memory between barriers, 4×4 outputs per invocation. The classic
//                     shape for real GPUs.
// #include "matmul/gemm_common.wgsl"

// B is the same tensor as A (x·xᵀ): read both from `a`, since WebGPU rejects two writable
// bindings of one range (and every binding here is read_write); `b` is then a placeholder.
override B_FROM_A: bool = false;

fn read_b(i: u32) -> f32 {
  if (B_FROM_A) { return a[i]; }
  return b[i];
}

// ---- kernel 1: naive ---------------------------------------------------------------------
@compute @workgroup_size(WG_X, WG_Y, 1)
fn matmul_kernel1_naive(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = gid.x;
  let m = gid.y;
  if (m >= params.M || n >= params.N) { return; }
  let bo = gid.z;
  var sum = 0.0;
  for (var r = 0u; r < params.red; r++) {
    var pa = bo * params.a_batch + r * params.a_red + m * params.a_sm;
    var pb = bo * params.b_batch + r * params.b_red + n * params.b_sn;
    for (var k = 0u; k < params.K; k++) {
      sum = fma(a[pa], read_b(pb), sum);
      pa += params.a_sk;
      pb += params.b_sk;
    }
  }
  epilogue(bo * params.c_batch, m, n, vec4<f32>(sum, 0.0, 0.0, 0.0), 1u);
}

// ---- kernel 2: register-blocked, barrier-free, scalar loads ----------------------------------
// A(m, k..k+3) as a vec4, p = slice base + m·a_sm. The masked form reads zero past K.
fn a_frag(p: u32, k: u32) -> vec4<f32> {
  let s = params.a_sk;
  return vec4<f32>(a[p + k * s], a[p + (k + 1u) * s], a[p + (k + 2u) * s], a[p + (k + 3u) * s]);
}
fn a_frag_masked(p: u32, k: u32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (k + j < params.K) { v[j] = a[p + (k + j) * params.a_sk]; }
  }
  return v;
}

// B(k, n..n+3) as a vec4: q = slice base + k·b_sk, c = the four column offsets n·b_sn.
fn b_frag(q: u32, c: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(read_b(q + c.x), read_b(q + c.y), read_b(q + c.z), read_b(q + c.w));
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn matmul_kernel2_register(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = params.M;
  let N = params.N;
  let K = params.K;
  let m0 = gid.y * 8u;
  let n0 = gid.x * 8u;
  if (m0 >= M || n0 >= N) { return; } // no barriers here, so leaving early is fine
  let bo = gid.z;
  // Rows and columns past the edge are clamped to the last one: the loop stays branch-free and
  // their (duplicate) results are simply not stored.
  let sm = params.a_sm;
  let ra0 = vec4<u32>(m0, min(m0 + 1u, M - 1u), min(m0 + 2u, M - 1u), min(m0 + 3u, M - 1u)) * sm;
  let ra1 = vec4<u32>(min(m0 + 4u, M - 1u), min(m0 + 5u, M - 1u), min(m0 + 6u, M - 1u), min(m0 + 7u, M - 1u)) * sm;
  let sn = params.b_sn;
  let cb0 = vec4<u32>(n0, min(n0 + 1u, N - 1u), min(n0 + 2u, N - 1u), min(n0 + 3u, N - 1u)) * sn;
  let cb1 = vec4<u32>(min(n0 + 4u, N - 1u), min(n0 + 5u, N - 1u), min(n0 + 6u, N - 1u), min(n0 + 7u, N - 1u)) * sn;
  let sk = params.b_sk;
  // accIJ = (C block rows 4I.., columns 4J..)ᵀ: column i holds C(m0+4I+i, n0+4J .. +3).
  var acc00 = mat4x4<f32>();
  var acc01 = mat4x4<f32>();
  var acc10 = mat4x4<f32>();
  var acc11 = mat4x4<f32>();
  let K4 = K & ~3u;
  for (var r = 0u; r < params.red; r++) {
    let pa = bo * params.a_batch + r * params.a_red;
    let pb = bo * params.b_batch + r * params.b_red;
    for (var k = 0u; k < K4; k += 4u) {
      // Columns = rows of A (vec over k): A_Iᵀ.
      let at0 = mat4x4<f32>(a_frag(pa + ra0.x, k), a_frag(pa + ra0.y, k), a_frag(pa + ra0.z, k), a_frag(pa + ra0.w, k));
      let at1 = mat4x4<f32>(a_frag(pa + ra1.x, k), a_frag(pa + ra1.y, k), a_frag(pa + ra1.z, k), a_frag(pa + ra1.w, k));
      // Columns = rows of B (vec over n): B_Jᵀ.
      let q = pb + k * sk;
      let bt0 = mat4x4<f32>(b_frag(q, cb0), b_frag(q + sk, cb0), b_frag(q + 2u * sk, cb0), b_frag(q + 3u * sk, cb0));
      let bt1 = mat4x4<f32>(b_frag(q, cb1), b_frag(q + sk, cb1), b_frag(q + 2u * sk, cb1), b_frag(q + 3u * sk, cb1));
      // Cᵀ += Bᵀ·Aᵀ per 4×4 sub-block.
      acc00 += bt0 * at0;
      acc01 += bt1 * at0;
      acc10 += bt0 * at1;
      acc11 += bt1 * at1;
    }
    if (K4 < K) {
      // The last, partial step: A reads zero past K, so B's clamped rows there add nothing.
      let at0 = mat4x4<f32>(a_frag_masked(pa + ra0.x, K4), a_frag_masked(pa + ra0.y, K4), a_frag_masked(pa + ra0.z, K4), a_frag_masked(pa + ra0.w, K4));
      let at1 = mat4x4<f32>(a_frag_masked(pa + ra1.x, K4), a_frag_masked(pa + ra1.y, K4), a_frag_masked(pa + ra1.z, K4), a_frag_masked(pa + ra1.w, K4));
      let q0 = pb + K4 * sk;
      let q1 = pb + min(K4 + 1u, K - 1u) * sk;
      let q2 = pb + min(K4 + 2u, K - 1u) * sk;
      let bt0 = mat4x4<f32>(b_frag(q0, cb0), b_frag(q1, cb0), b_frag(q2, cb0), vec4<f32>(0.0));
      let bt1 = mat4x4<f32>(b_frag(q0, cb1), b_frag(q1, cb1), b_frag(q2, cb1), vec4<f32>(0.0));
      acc00 += bt0 * at0;
      acc01 += bt1 * at0;
      acc10 += bt0 * at1;
      acc11 += bt1 * at1;
    }
  }
  store_block8(bo * params.c_batch, m0, n0, acc00, acc01, acc10, acc11);
}

// ---- kernel 4: workgroup-memory tiles --------------------------------------------------------
// Tile arrays have a fixed size (override-sized workgroup arrays have had browser bugs): room
// for the largest tile, 64 × 64 at depth TILE_K; smaller workgroups use part of it. WG_X and
// WG_Y must be at most TILE_VEC (matmul.ts checks).
const TILE_K: u32 = 16u;
const TILE_VEC: u32 = 16u; // vec4s per tile row: tiles are at most 64 wide
// tile_a[k · TILE_VEC + i] = A(tile_m + 4i .. 4i+3, k0 + k); tile_b likewise over n.
var<workgroup> tile_a: array<vec4<f32>, 256>; // TILE_K × TILE_VEC
var<workgroup> tile_b: array<vec4<f32>, 256>;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn matmul_kernel4_tiled(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = params.M;
  let N = params.N;
  let K = params.K;
  let tm = WG_Y * 4u;
  let tn = WG_X * 4u;
  let threads = WG_X * WG_Y;
  let tid = lid.y * WG_X + lid.x;
  let tile_m = wid.y * tm;
  let tile_n = wid.x * tn;
  let bo = wid.z;
  // Cooperative loads run fastest along the axis that is contiguous in memory.
  let a_k_fast = params.a_sk == 1u;
  let b_k_fast = params.b_sk == 1u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var r = 0u; r < params.red; r++) {
    let pa = bo * params.a_batch + r * params.a_red;
    let pb = bo * params.b_batch + r * params.b_red;
    for (var k0 = 0u; k0 < K; k0 += TILE_K) {
      // Out-of-range elements are zero, so the inner loop needs no bounds checks.
      for (var i = tid; i < tm * TILE_K; i += threads) {
        var mm: u32;
        var kk: u32;
        if (a_k_fast) { kk = i % TILE_K; mm = i / TILE_K; } else { mm = i % tm; kk = i / tm; }
        let gm = tile_m + mm;
        let gk = k0 + kk;
        var v = 0.0;
        if (gm < M && gk < K) { v = a[pa + gm * params.a_sm + gk * params.a_sk]; }
        tile_a[kk * TILE_VEC + mm / 4u][mm % 4u] = v;
      }
      for (var i = tid; i < tn * TILE_K; i += threads) {
        var nn: u32;
        var kk: u32;
        if (b_k_fast) { kk = i % TILE_K; nn = i / TILE_K; } else { nn = i % tn; kk = i / tn; }
        let gn = tile_n + nn;
        let gk = k0 + kk;
        var v = 0.0;
        if (gn < N && gk < K) { v = read_b(pb + gk * params.b_sk + gn * params.b_sn); }
        tile_b[kk * TILE_VEC + nn / 4u][nn % 4u] = v;
      }
      workgroupBarrier();
      for (var kk = 0u; kk < TILE_K; kk++) {
        let av = tile_a[kk * TILE_VEC + lid.y];
        let bv = tile_b[kk * TILE_VEC + lid.x];
        acc0 = fma(vec4<f32>(av.x), bv, acc0);
        acc1 = fma(vec4<f32>(av.y), bv, acc1);
        acc2 = fma(vec4<f32>(av.z), bv, acc2);
        acc3 = fma(vec4<f32>(av.w), bv, acc3);
      }
      workgroupBarrier();
    }
  }
  let m0 = tile_m + lid.y * 4u;
  let n0 = tile_n + lid.x * 4u;
  if (n0 >= N) { return; }
  let c_off = bo * params.c_batch;
  let count = min(4u, N - n0);
  if (m0 < M) { epilogue(c_off, m0, n0, acc0, count); }
  if (m0 + 1u < M) { epilogue(c_off, m0 + 1u, n0, acc1, count); }
  if (m0 + 2u < M) { epilogue(c_off, m0 + 2u, n0, acc2, count); }
  if (m0 + 3u < M) { epilogue(c_off, m0 + 3u, n0, acc3, count); }
}
