// Radix-2 complex FFT of FFT_M points done by ONE invocation in a private array, for the
// barrier-free 'cpu' kernels (fft_private_*.wgsl): CPU adapters run a workgroup's invocations as
// coroutines, so the workgroup FFT's barrier per butterfly stage (fft_common.wgsl) switches every
// invocation; here no invocation waits on another. FFT_M ≤ 4096 → ≤ 32 KiB per invocation (stack
// on a CPU). Same transforms and orders as fft_common.wgsl, butterfly for butterfly: fft_dif
// natural order in, bit-reversed out; ifft_dit bit-reversed in, natural out, without the 1/M.
// Twiddles: the f64 table `tw` bound by every including shader.
// #include "conv/fft_math.wgsl"

var<private> buf: array<vec2<f32>, FFT_M>;

fn fft_dif() {
  var half = FFT_M >> 1u;
  var stride = 1u; // twiddle step M / (2·half)
  loop {
    if (half == 0u) { break; }
    for (var i = 0u; i < FFT_M; i = i + 2u * half) {
      for (var pos = 0u; pos < half; pos = pos + 1u) {
        let i0 = i + pos;
        let i1 = i0 + half;
        let a = buf[i0];
        let b = buf[i1];
        buf[i0] = a + b;
        buf[i1] = cmul(a - b, tw[pos * stride]);
      }
    }
    half = half >> 1u;
    stride = stride << 1u;
  }
}

fn ifft_dit() {
  var half = 1u;
  var stride = FFT_M >> 1u;
  loop {
    if (half >= FFT_M) { break; }
    for (var i = 0u; i < FFT_M; i = i + 2u * half) {
      for (var pos = 0u; pos < half; pos = pos + 1u) {
        let i0 = i + pos;
        let i1 = i0 + half;
        let wf = tw[pos * stride];
        let a = buf[i0];
        let t = cmul(buf[i1], vec2<f32>(wf.x, -wf.y));
        buf[i0] = a + t;
        buf[i1] = a - t;
      }
    }
    half = half << 1u;
    stride = stride >> 1u;
  }
}
