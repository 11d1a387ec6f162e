// FFT size and complex helpers shared by both FFT conv families (fft_common.wgsl: one FFT per
// workgroup in workgroup memory; fft_private.wgsl: one FFT per invocation in a private array).
// FFT_M, LOG2_M: text-substituted by the launcher (src/engine/ops/fftConv/fftConv.ts fftSource),
// which rewrites the two `const` lines below; the defaults here let the file compile as is.

const FFT_M: u32 = 512u;
const LOG2_M: u32 = 9u;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

fn cmul_conj(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  // a · conj(b)
  return vec2<f32>(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y);
}

fn bitrev(p: u32) -> u32 {
  if (LOG2_M == 0u) { return 0u; }
  return reverseBits(p) >> (32u - LOG2_M);
}
