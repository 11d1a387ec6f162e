// mh-hyena's multi-head long convolution, fused (docs/protocol.md §4.3), forward. With x1, x2, v the three
// I-channel blocks of uc and channels grouped as c = a·H + i (W = I/H groups of H channels,
// group a using filter f_a = k[·, a] and skip D_a):
//   y[b,t,a·H+j] = Σ_i x1[a·H+i](t) · ( Σ_{s≤t} f_a(t−s)·v_i(s)·x2_j(s) + D_a·v_i(t)·x2_j(t) )
// Nothing of size H² is stored: one workgroup per (b, a, j) loops over i, forming
// p_i(t) = v_i(t)·x2_j(t) on the fly, two i at a time packed as one complex sequence
// (IFFT(FFT(p_i + i·p_{i+1})·F) = (f ∗ p_i) + i·(f ∗ p_{i+1}) because f is real).
// uc: [B, T, 3I]; kf: [W, M] complex (fft_filter_spectrum.wgsl of k: [T, W]); D: [W];
// y: [B, T, I]; tw: [M/2] complex twiddles.
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, I: u32, W: u32, H: u32 }

@group(0) @binding(0) var<storage, read_write> uc: array<f32>;
@group(0) @binding(1) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> dskip: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nwg.x;
  let H = params.H;
  let I = params.I;
  let valid = w < params.B * params.W * H;
  let b = w / (params.W * H);
  let a = (w / H) % params.W;
  let j = w % H;
  let row = 3u * I;
  let scale = 1.0 / f32(FFT_M);
  var d = 0.0;
  if (valid) { d = dskip[a]; }
  for (var i = 0u; i < H; i = i + 2u) {
    let two = i + 1u < H;
    for (var p = lid; p < FFT_M; p = p + WG) {
      var z = vec2<f32>(0.0, 0.0);
      if (valid && p < params.T) {
        let base = (b * params.T + p) * row;
        let x2 = uc[base + I + a * H + j];
        z.x = uc[base + 2u * I + a * H + i] * x2;
        if (two) { z.y = uc[base + 2u * I + a * H + i + 1u] * x2; }
      }
      buf[p] = z;
    }
    workgroupBarrier();
    fft_dif(lid);
    if (valid) {
      for (var p = lid; p < FFT_M; p = p + WG) { buf[p] = cmul(buf[p], kf[a * FFT_M + p]); }
    }
    workgroupBarrier();
    ifft_dit(lid);
    if (valid) {
      for (var t = lid; t < params.T; t = t + WG) {
        let base = (b * params.T + t) * row;
        let x2 = uc[base + I + a * H + j];
        var s = uc[base + a * H + i] * (buf[t].x * scale + d * uc[base + 2u * I + a * H + i] * x2);
        if (two) {
          s = s + uc[base + a * H + i + 1u] * (buf[t].y * scale + d * uc[base + 2u * I + a * H + i + 1u] * x2);
        }
        let o = (b * params.T + t) * I + a * H + j;
        if (i == 0u) { y[o] = s; } else { y[o] = y[o] + s; }
      }
    }
    workgroupBarrier();
  }
}
