// mh-hyena's fused multi-head long convolution, backward (forward: fft_mh_conv_forward.wgsl).
// With p_ij(t) = v_i(t)·x2_j(t), M_ij = f_a ∗ p_ij + D_a·p_ij and dM_ij(t) = dy_j(t)·x1_i(t):
//   dx1_i(t) += Σ_j dy_j(t)·M_ij(t)
//   dp_ij(s)  = Σ_{t≥s} f_a(t−s)·dM_ij(t) + D_a·dM_ij(s);  dv_i += Σ_j dp_ij·x2_j;  dx2_j += Σ_i dp_ij·v_i
//   df_a(τ)   = Σ_{b,i,j} Σ_t dM_ij(t)·p_ij(t−τ);  dD_a = Σ_{b,i,j,t} dM_ij·p_ij
// One workgroup per (b, a) loops over the H² pairs (i, j); every gradient element of the (b, a)
// slice belongs to this workgroup and every t to one invocation, so the += need no atomics.
// Per pair: one FFT of z = p + i·dM, split with the Hermitian symmetry into P and G, then one
// inverse FFT of P·F + i·(G·conj F) gives (f ∗ p) + i·(f ⋆ dM) (convolution and correlation).
// The filter's spectral sums Σ_{i,j} G·conj(P) go to acc[a·B + b, ·] and Σ dM·p to dpart[a·B + b];
// fft_conv_backward_filter_final.wgsl (CF = W, P = B) sums them over b and inverse-transforms.
// uc, duc: [B, T, 3I] (x1 | x2 | v); dy: [B, T, I]; kf: [W, M]; D: [W]; acc: [W·B, M] complex;
// dpart: [W·B]. Accumulates into duc.
// #include "common/index.wgsl"
// #include "conv/fft_common.wgsl"

struct Params { B: u32, T: u32, I: u32, W: u32, H: u32 }

@group(0) @binding(0) var<storage, read_write> uc: array<f32>;
@group(0) @binding(1) var<storage, read_write> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> kf: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> dskip: array<f32>;
@group(0) @binding(4) var<storage, read_write> duc: array<f32>;
@group(0) @binding(5) var<storage, read_write> acc: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> dpart: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;
@group(0) @binding(8) var<storage, read_write> tw: array<vec2<f32>>;

override WG: u32 = 256u;

fn conj2(z: vec2<f32>) -> vec2<f32> { return vec2<f32>(z.x, -z.y); }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let w = wid.x + wid.y * nwg.x;
  let H = params.H;
  let I = params.I;
  let valid = w < params.B * params.W;
  let b = w / params.W;
  let a = w % params.W;
  let row = 3u * I;
  let scale = 1.0 / f32(FFT_M);
  let accBase = (a * params.B + b) * FFT_M;
  var d = 0.0;
  if (valid) { d = dskip[a]; }
  var dsum = 0.0;
  for (var n = 0u; n < H * H; n = n + 1u) {
    let i = n / H;
    let j = n % H;
    for (var p = lid; p < FFT_M; p = p + WG) {
      var z = vec2<f32>(0.0, 0.0);
      if (valid && p < params.T) {
        let base = (b * params.T + p) * row;
        z.x = uc[base + 2u * I + a * H + i] * uc[base + I + a * H + j];
        z.y = dy[(b * params.T + p) * I + a * H + j] * uc[base + a * H + i];
        dsum = dsum + z.x * z.y;
      }
      buf[p] = z;
    }
    workgroupBarrier();
    fft_dif(lid);
    // Frequencies m and M − m (positions bitrev(m), bitrev(M − m)) are handled by one invocation.
    if (valid) {
      for (var m = lid; m <= (FFT_M >> 1u); m = m + WG) {
        let pp = bitrev(m);
        let qq = bitrev((FFT_M - m) & (FFT_M - 1u));
        let zp = buf[pp];
        let zq = conj2(buf[qq]);
        let pm = 0.5 * (zp + zq); // P[m]
        let dd = zp - zq;
        let gm = 0.5 * vec2<f32>(dd.y, -dd.x); // G[m]
        let fm = kf[a * FFT_M + pp];
        let outm = cmul(pm, fm) + cmul(vec2<f32>(0.0, 1.0), cmul_conj(gm, fm));
        let cross = cmul_conj(gm, pm);
        if (pp != qq) {
          // P, G, F at M − m are the conjugates (real sequences).
          let outq = cmul(conj2(pm), conj2(fm)) + cmul(vec2<f32>(0.0, 1.0), cmul_conj(conj2(gm), conj2(fm)));
          buf[qq] = outq;
          if (n == 0u) { acc[accBase + qq] = conj2(cross); } else { acc[accBase + qq] = acc[accBase + qq] + conj2(cross); }
        }
        buf[pp] = outm;
        if (n == 0u) { acc[accBase + pp] = cross; } else { acc[accBase + pp] = acc[accBase + pp] + cross; }
      }
    }
    workgroupBarrier();
    ifft_dit(lid);
    if (valid) {
      for (var t = lid; t < params.T; t = t + WG) {
        let base = (b * params.T + t) * row;
        let x1 = uc[base + a * H + i];
        let x2 = uc[base + I + a * H + j];
        let v = uc[base + 2u * I + a * H + i];
        let g = dy[(b * params.T + t) * I + a * H + j];
        let mij = buf[t].x * scale + d * v * x2;
        let dp = buf[t].y * scale + d * g * x1;
        duc[base + a * H + i] = duc[base + a * H + i] + g * mij;
        duc[base + I + a * H + j] = duc[base + I + a * H + j] + dp * v;
        duc[base + 2u * I + a * H + i] = duc[base + 2u * I + a * H + i] + dp * x2;
      }
    }
    workgroupBarrier();
  }
  buf[lid] = vec2<f32>(dsum, 0.0);
  workgroupBarrier();
  var stride = WG >> 1u;
  loop {
    if (stride == 0u) { break; }
    if (lid < stride) { buf[lid] = buf[lid] + buf[lid + stride]; }
    workgroupBarrier();
    stride = stride >> 1u;
  }
  if (valid && lid == 0u) { dpart[a * params.B + b] = buf[0].x; }
}
