// Delta rule, forward (docs/kernels.md "Delta rule"): per (batch, head), sequentially in t,
//   w_t = S_{t−1} k_t,  u_t = v_t − α_t w_t,  S_t = α_t S_{t−1} + β_t u_t k_tᵀ,  o_t = scale · S_t q_t
// (= α_t S_{t−1}(I − β_t k_t k_tᵀ) + β_t v_t k_tᵀ). The state lives in the invocations of one
// workgroup (S[i, j] at lid = i·dk + j); the two row sums per step go through workgroup memory.
// The state before every chunk's first step is stored for the backward, which recomputes the
// states inside a chunk from it.

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> log_alpha: array<f32>;
@group(0) @binding(5) var<storage, read_write> o: array<f32>;
@group(0) @binding(6) var<storage, read_write> states: array<f32>;
@group(0) @binding(7) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_common.wgsl"

override WG: u32 = 256u;

var<workgroup> sk: array<f32, STATE_CAP>;
var<workgroup> sq: array<f32, STATE_CAP>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let bh = wid.x + wid.y * nwg.x;
  if (bh >= p.batch * p.heads) { return; }
  let b = bh / p.heads;
  let h = bh % p.heads;
  let i = lid / p.dk;
  let j = lid % p.dk;
  let row0 = i * p.dk;
  var s = 0.0;
  for (var t = 0u; t < p.t_len; t = t + 1u) {
    if (t % p.chunk == 0u) { states[(bh * p.n_chunks + t / p.chunk) * WG + lid] = s; }
    let r = (b * p.t_len + t) * p.heads + h;
    let kj = k[r * p.dk + j];
    var a = 1.0;
    if (p.gated == 1u) { a = exp(log_alpha[r]); }
    sk[lid] = s * kj;
    workgroupBarrier();
    var w = 0.0;
    for (var c = 0u; c < p.dk; c = c + 1u) { w = w + sk[row0 + c]; }
    let u = v[r * p.dv + i] - a * w;
    s = a * s + beta[r] * u * kj;
    sq[lid] = s * q[r * p.dk + j];
    workgroupBarrier();
    if (j == 0u) {
      var acc = 0.0;
      for (var c = 0u; c < p.dk; c = c + 1u) { acc = acc + sq[row0 + c]; }
      o[r * p.dv + i] = p.scale * acc;
    }
  }
}
