// Long causal convolution backward, filter and skip gradients, stage 2 of 2: per filter channel
// cf, sums the P partial spectra in a fixed order, inverse-transforms and accumulates
//   dk[s, cf] += IFFT(Σ_parts acc)[s] / M  for s < T,   dD[cf] += Σ_parts dpart.
// acc: [CF·P, M] complex; dpart: [CF·P]; dk: [T, CF]; dD: [CF]. One workgroup per cf.
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, C: u32, CF: u32, R: u32, P: u32, S: u32, HAS_DK: u32, HAS_DD: u32 }

@group(0) @binding(0) var<storage, read_write> acc: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> dpart: array<f32>;
@group(0) @binding(2) var<storage, read_write> dk: array<f32>;
@group(0) @binding(3) var<storage, read_write> dd: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
@group(0) @binding(5) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let cf = wid.x + wid.y * nwg.x;
  let valid = cf < params.CF;
  for (var p = lid; p < FFT_M; p = p + WG) {
    var s = vec2<f32>(0.0, 0.0);
    if (valid) {
      for (var part = 0u; part < params.P; part = part + 1u) { s = s + acc[(cf * params.P + part) * FFT_M + p]; }
    }
    buf[p] = s;
  }
  workgroupBarrier();
  ifft_dit(lid);
  if (!valid) { return; }
  if (params.HAS_DK != 0u) {
    let scale = 1.0 / f32(FFT_M);
    for (var t = lid; t < params.T; t = t + WG) {
      let i = t * params.CF + cf;
      dk[i] = dk[i] + buf[t].x * scale;
    }
  }
  if (params.HAS_DD != 0u && lid == 0u) {
    var s = 0.0;
    for (var part = 0u; part < params.P; part = part + 1u) { s = s + dpart[cf * params.P + part]; }
    dd[cf] = dd[cf] + s;
  }
}
