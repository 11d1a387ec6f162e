// Long causal convolution forward, barrier-free 'cpu' variant of fft_conv_forward.wgsl (same
// shapes, packing and math): ONE invocation per (b, channel pair) does the FFT of
// z = u_c0 + i·u_c1, the product with the filter spectra and the inverse FFT alone in its private
// array (fft_private.wgsl). No workgroup memory, no barriers.
// #include "common/index.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32 }

@group(0) @binding(0) var<storage, read_write> u: array<f32>;
@group(0) @binding(1) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> dskip: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

// #include "conv/fft_private.wgsl"

override WG: u32 = 64u;

fn conj2(z: vec2<f32>) -> vec2<f32> { return vec2<f32>(z.x, -z.y); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = flat_index(gid, nwg, WG);
  let pairs = (params.C + 1u) / 2u;
  if (w >= params.B * pairs) { return; }
  let b = w / pairs;
  let c0 = 2u * (w % pairs);
  let c1 = c0 + 1u;
  let two = c1 < params.C;
  let cf0 = c0 / params.R;
  let cf1 = min(c1, params.C - 1u) / params.R;
  for (var p = 0u; p < FFT_M; p = p + 1u) {
    var z = vec2<f32>(0.0, 0.0);
    if (p < params.T) {
      let i = (b * params.T + p) * params.C + c0;
      z.x = u[i];
      if (two) { z.y = u[i + 1u]; }
    }
    buf[p] = z;
  }
  fft_dif();
  for (var m = 0u; m <= (FFT_M >> 1u); m = m + 1u) {
    let pp = bitrev(m);
    let qq = bitrev((FFT_M - m) & (FFT_M - 1u));
    let zp = buf[pp];
    let zq = conj2(buf[qq]);
    let u0 = 0.5 * (zp + zq);
    let dd = zp - zq;
    let u1 = 0.5 * vec2<f32>(dd.y, -dd.x);
    let p0 = cmul(u0, kf[cf0 * FFT_M + pp]);
    let p1 = cmul(u1, kf[cf1 * FFT_M + pp]);
    buf[pp] = p0 + vec2<f32>(-p1.y, p1.x);
    if (pp != qq) {
      // At M − m every spectrum is the conjugate (real sequences).
      let q0 = conj2(p0);
      let q1 = conj2(p1);
      buf[qq] = q0 + vec2<f32>(-q1.y, q1.x);
    }
  }
  ifft_dit();
  let scale = 1.0 / f32(FFT_M);
  for (var t = 0u; t < params.T; t = t + 1u) {
    let i = (b * params.T + t) * params.C + c0;
    y[i] = buf[t].x * scale + dskip[cf0] * u[i];
    if (two) { y[i + 1u] = buf[t].y * scale + dskip[cf1] * u[i + 1u]; }
  }
}
