// Long causal convolution backward, filter and skip gradients, stage 2 of 2, barrier-free 'cpu'
// variant of fft_conv_backward_filter_final.wgsl: ONE invocation per filter channel cf sums the P
// partial spectra in part order, inverse-transforms in its private array (fft_private.wgsl) and
// accumulates dk[s, cf] += IFFT(Σ_parts acc)[s] / M for s < T and dD[cf] += Σ_parts dpart.
// #include "common/index.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32, P: u32, S: u32, HAS_DK: u32, HAS_DD: u32 }

@group(0) @binding(0) var<storage, read_write> acc: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> dpart: array<f32>;
@group(0) @binding(2) var<storage, read_write> dk: array<f32>;
@group(0) @binding(3) var<storage, read_write> dd: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

// #include "conv/fft_private.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let cf = flat_index(gid, nwg, WG);
  if (cf >= params.CF) { return; }
  if (params.HAS_DK != 0u) {
    for (var p = 0u; p < FFT_M; p = p + 1u) {
      var s = vec2<f32>(0.0, 0.0);
      for (var part = 0u; part < params.P; part = part + 1u) { s = s + acc[(cf * params.P + part) * FFT_M + p]; }
      buf[p] = s;
    }
    ifft_dit();
    let scale = 1.0 / f32(FFT_M);
    for (var t = 0u; t < params.T; t = t + 1u) {
      let i = t * params.CF + cf;
      dk[i] = dk[i] + buf[t].x * scale;
    }
  }
  if (params.HAS_DD != 0u) {
    var s = 0.0;
    for (var part = 0u; part < params.P; part = part + 1u) { s = s + dpart[cf * params.P + part]; }
    dd[cf] = dd[cf] + s;
  }
}
