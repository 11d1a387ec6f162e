// Spectrum of the long filter: kf[cf, ·] = FFT(k[0:T, cf] zero-padded to M), bit-reversed order.
// k: [T, CF]; kf: [CF, M] complex. One workgroup per filter channel; computed once per step and
// shared by the forward and the input-gradient pass of fftConv.
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32 }

@group(0) @binding(0) var<storage, read_write> k: array<f32>;
@group(0) @binding(1) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@group(0) @binding(3) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let cf = wid.x + wid.y * nwg.x;
  let valid = cf < params.CF;
  for (var p = lid; p < FFT_M; p = p + WG) {
    var v = 0.0;
    if (valid && p < params.T) { v = k[p * params.CF + cf]; }
    buf[p] = vec2<f32>(v, 0.0);
  }
  workgroupBarrier();
  fft_dif(lid);
  if (!valid) { return; }
  for (var p = lid; p < FFT_M; p = p + WG) { kf[cf * FFT_M + p] = buf[p]; }
}
