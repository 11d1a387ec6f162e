// Long causal convolution backward, filter and skip gradients, stage 1 of 2 (partial sums):
//   dk[s, cf] = Σ_{b, r} Σ_t dy[b,t,c]·u[b,t−s,c] = IFFT(Σ_{b,r} FFT(dy)·conj(FFT(u)))[s],
//   dD[cf]    = Σ_{b, r} Σ_t dy[b,t,c]·u[b,t,c],          c = cf·R + r.
// The B·R sequences of filter channel cf are split into P parts of S = ceil(B·R / P); workgroup
// (cf, part) accumulates Σ FFT(dy)·conj(FFT(u)) over its sequences into acc[cf·P + part, ·] and
// Σ dy·u into dpart[cf·P + part]. dy and u are packed as one complex FFT z = dy + i·u and split
// with the Hermitian symmetry: G[m] = (Z[m] + conj Z[M−m]) / 2, U[m] = (Z[m] − conj Z[M−m]) / 2i.
// dy, u: [B, T, C]; acc: [CF·P, M] complex (bit-reversed order); dpart: [CF·P].
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32, P: u32, S: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> u: array<f32>;
@group(0) @binding(2) var<storage, read_write> acc: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> dpart: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nwg.x;
  let valid = w < params.CF * params.P;
  let cf = w / params.P;
  let part = w % params.P;
  let total = params.B * params.R;
  let base = (cf * params.P + part) * FFT_M;
  var dsum = 0.0;
  for (var n = 0u; n < params.S; n = n + 1u) {
    let seq = part * params.S + n;
    let live = valid && seq < total;
    let b = seq / params.R;
    let c = cf * params.R + seq % params.R;
    for (var p = lid; p < FFT_M; p = p + WG) {
      var z = vec2<f32>(0.0, 0.0);
      if (live && p < params.T) {
        let i = (b * params.T + p) * params.C + c;
        z = vec2<f32>(dy[i], u[i]);
        dsum = dsum + z.x * z.y;
      }
      buf[p] = z;
    }
    workgroupBarrier();
    fft_dif(lid);
    if (valid) {
      for (var p = lid; p < FFT_M; p = p + WG) {
        let q = bitrev((FFT_M - bitrev(p)) & (FFT_M - 1u));
        let zp = buf[p];
        let zq = vec2<f32>(buf[q].x, -buf[q].y);
        let gm = 0.5 * (zp + zq);
        let d = zp - zq;
        let um = 0.5 * vec2<f32>(d.y, -d.x);
        let prod = cmul_conj(gm, um);
        if (n == 0u) { acc[base + p] = prod; } else { acc[base + p] = acc[base + p] + prod; }
      }
    }
    workgroupBarrier();
  }
  // Tree sum of the Σ dy·u partials, reusing buf (WG ≤ M/2 slots; WG is a power of two).
  buf[lid] = vec2<f32>(dsum, 0.0);
  workgroupBarrier();
  var stride = WG >> 1u;
  loop {
    if (stride == 0u) { break; }
    if (lid < stride) { buf[lid] = buf[lid] + buf[lid + stride]; }
    workgroupBarrier();
    stride = stride >> 1u;
  }
  if (valid && lid == 0u) { dpart[cf * params.P + part] = buf[0].x; }
}
