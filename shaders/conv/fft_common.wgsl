// Radix-2 complex FFT of FFT_M points in workgroup memory (FFT_M ≤ 4096 → ≤ 32 KiB; the size and
// the complex helpers are in fft_math.wgsl).
// fft_dif: natural order in, BIT-REVERSED order out, forward transform (e^{−2πi·kn/M}).
// ifft_dit: bit-reversed order in, natural order out, inverse transform WITHOUT the 1/M factor.
// Spectra therefore stay in bit-reversed order everywhere (pointwise products do not care), so
// no permutation pass is ever needed. WG invocations (WG ≤ FFT_M/2) share the M/2 butterflies.
// Twiddles come from the table tw[j] = exp(−2πi·j/M), j < M/2, computed in f64 on the CPU and
// bound by every including shader as `tw`: GPU sin/cos may be accurate to only ~2^−11 absolute
// (Vulkan's bound), which would give FFT errors of 1e−3.
// #include "conv/fft_math.wgsl"

var<workgroup> buf: array<vec2<f32>, FFT_M>;

fn fft_dif(lid: u32) {
  var half = FFT_M >> 1u;
  loop {
    if (half == 0u) { break; }
    for (var j = lid; j < (FFT_M >> 1u); j = j + WG) {
      let pos = j % half;
      let i0 = (j / half) * 2u * half + pos;
      let i1 = i0 + half;
      let w = tw[pos * (FFT_M / (2u * half))];
      let a = buf[i0];
      let b = buf[i1];
      buf[i0] = a + b;
      buf[i1] = cmul(a - b, w);
    }
    workgroupBarrier();
    half = half >> 1u;
  }
}

fn ifft_dit(lid: u32) {
  var half = 1u;
  loop {
    if (half >= FFT_M) { break; }
    for (var j = lid; j < (FFT_M >> 1u); j = j + WG) {
      let pos = j % half;
      let i0 = (j / half) * 2u * half + pos;
      let i1 = i0 + half;
      let wf = tw[pos * (FFT_M / (2u * half))];
      let w = vec2<f32>(wf.x, -wf.y);
      let a = buf[i0];
      let t = cmul(buf[i1], w);
      buf[i0] = a + t;
      buf[i1] = a - t;
    }
    workgroupBarrier();
    half = half << 1u;
  }
}
