// Spectrum of the long filter, barrier-free 'cpu' variant of fft_filter_spectrum.wgsl: ONE
// invocation per filter channel cf transforms k[0:T, cf] zero-padded to M in its private array
// (fft_private.wgsl) into kf[cf, ·], bit-reversed order.
// #include "common/index.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32 }

@group(0) @binding(0) var<storage, read_write> k: array<f32>;
@group(0) @binding(1) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(2) var<uniform> params: Params;
@group(0) @binding(3) var<storage, read_write> tw: array<vec2<f32>>;

// #include "conv/fft_private.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let cf = flat_index(gid, nwg, WG);
  if (cf >= params.CF) { return; }
  for (var p = 0u; p < FFT_M; p = p + 1u) {
    var v = 0.0;
    if (p < params.T) { v = k[p * params.CF + cf]; }
    buf[p] = vec2<f32>(v, 0.0);
  }
  fft_dif();
  for (var p = 0u; p < FFT_M; p = p + 1u) { kf[cf * FFT_M + p] = buf[p]; }
}
