// Long causal convolution backward, input gradient (see fft_conv_forward.wgsl for shapes):
//   du[b,t,c] += Σ_{s≥t} dy[b,s,c]·k[s−t, c/R] + D[c/R]·dy[b,t,c]
//             = IFFT(FFT(dy)·conj(kf))[t] + D·dy   (the padded halves are zero, so the circular
//               correlation equals the causal one on [0, T)).
// dy, du: [B, T, C]; kf: [CF, M] complex (from fft_filter_spectrum.wgsl); D: [CF].
// One workgroup per (b, channel pair). Accumulates into du.
// Two real channels c0, c1 travel as one complex sequence z = u_c0 + i·u_c1; after the forward
// FFT the spectra separate by Hermitian symmetry, U0[m] = (Z[m] + conj Z[M−m]) / 2 and
// U1[m] = (Z[m] − conj Z[M−m]) / 2i, and Y = U0·F0 + i·U1·F1 inverse-transforms to y_c0 + i·y_c1.
// Frequencies m and M − m (positions bitrev(m), bitrev(M − m)) belong to one invocation.
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32 }

@group(0) @binding(0) var<storage, read_write> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> dskip: array<f32>;
@group(0) @binding(3) var<storage, read_write> du: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

fn conj2(z: vec2<f32>) -> vec2<f32> { return vec2<f32>(z.x, -z.y); }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nwg.x;
  let pairs = (params.C + 1u) / 2u;
  let valid = w < params.B * pairs;
  let b = w / pairs;
  let c0 = 2u * (w % pairs);
  let c1 = c0 + 1u;
  let two = c1 < params.C;
  let cf0 = c0 / params.R;
  let cf1 = min(c1, params.C - 1u) / params.R;
  for (var p = lid; p < FFT_M; p = p + WG) {
    var z = vec2<f32>(0.0, 0.0);
    if (valid && p < params.T) {
      let i = (b * params.T + p) * params.C + c0;
      z.x = dy[i];
      if (two) { z.y = dy[i + 1u]; }
    }
    buf[p] = z;
  }
  workgroupBarrier();
  fft_dif(lid);
  if (valid) {
    for (var m = lid; m <= (FFT_M >> 1u); m = m + WG) {
      let pp = bitrev(m);
      let qq = bitrev((FFT_M - m) & (FFT_M - 1u));
      let zp = buf[pp];
      let zq = conj2(buf[qq]);
      let g0 = 0.5 * (zp + zq);
      let dd = zp - zq;
      let g1 = 0.5 * vec2<f32>(dd.y, -dd.x);
      let f0 = kf[cf0 * FFT_M + pp];
      let f1 = kf[cf1 * FFT_M + pp];
      let p0 = cmul_conj(g0, f0);
      let p1 = cmul_conj(g1, f1);
      buf[pp] = p0 + vec2<f32>(-p1.y, p1.x);
      if (pp != qq) {
        let q1 = conj2(p1);
        buf[qq] = conj2(p0) + vec2<f32>(-q1.y, q1.x);
      }
    }
  }
  workgroupBarrier();
  ifft_dit(lid);
  if (!valid) { return; }
  let scale = 1.0 / f32(FFT_M);
  for (var t = lid; t < params.T; t = t + WG) {
    let i = (b * params.T + t) * params.C + c0;
    du[i] = du[i] + buf[t].x * scale + dskip[cf0] * dy[i];
    if (two) { du[i + 1u] = du[i + 1u] + buf[t].y * scale + dskip[cf1] * dy[i + 1u]; }
  }
}
