// Delta rule, backward (docs/kernels.md "Delta rule"): per (batch, head), chunks in reverse; each
// chunk's states S_t are first recomputed from its stored boundary state (kept per invocation in
// a private array, with w_t = S_{t−1} k_t), then the steps run backward with dS = ∂L/∂S_t:
//   dS += do_t (scale·q_t)ᵀ;  dq = scale · S_tᵀ do_t;  du = β dS k;  dβ = uᵀ dS k;
//   dw = −α du;  dv = du;  dk = β dSᵀ u + S_{t−1}ᵀ dw;
//   dα = Σ dS ⊙ S_{t−1} − duᵀ w;  d log α = α · dα;  dS ← α dS + dw k_tᵀ.
// Gradients go to one packed row per (b, t, h): [dq (dk) | dk (dk) | dv (dv) | dβ | d log α]
// (eight storage buffers per stage at most); delta_rule_backward_scatter.wgsl unpacks them.

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> log_alpha: array<f32>;
@group(0) @binding(5) var<storage, read_write> states: array<f32>;
@group(0) @binding(6) var<storage, read_write> dout: array<f32>;
@group(0) @binding(7) var<storage, read_write> grads: array<f32>;
@group(0) @binding(8) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_common.wgsl"

override WG: u32 = 256u;
const MAX_CHUNK: u32 = 32u;

// Recompute: two alternating halves (one barrier per step). Reverse: dS·k, dS ⊙ S_{t−1}, S_t ⊙ do.
var<workgroup> red: array<f32, 768>;
var<workgroup> col: array<f32, STATE_CAP>;
var<workgroup> row_db: array<f32, STATE_CAP>;
var<workgroup> row_da: array<f32, STATE_CAP>;

fn alpha_at(r: u32) -> f32 {
  if (p.gated == 1u) { return exp(log_alpha[r]); }
  return 1.0;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let bh = wid.x + wid.y * nwg.x;
  if (bh >= p.batch * p.heads) { return; }
  let b = bh / p.heads;
  let h = bh % p.heads;
  let dk = p.dk;
  let i = lid / dk;
  let j = lid % dk;
  let row0 = i * dk;
  let W = p.grad_width;
  var ds = 0.0;
  var hist: array<f32, MAX_CHUNK>;
  var whist: array<f32, MAX_CHUNK>;
  for (var kc1 = p.n_chunks; kc1 > 0u; kc1 = kc1 - 1u) {
    let t0 = (kc1 - 1u) * p.chunk;
    let t1 = min(t0 + p.chunk, p.t_len);
    let s0 = states[(bh * p.n_chunks + kc1 - 1u) * WG + lid];
    var s = s0;
    for (var t = t0; t < t1; t = t + 1u) {
      let r = (b * p.t_len + t) * p.heads + h;
      let kj = k[r * dk + j];
      let a = alpha_at(r);
      let buf = (t & 1u) * STATE_CAP;
      red[buf + lid] = s * kj;
      workgroupBarrier();
      var w = 0.0;
      for (var c = 0u; c < dk; c = c + 1u) { w = w + red[buf + row0 + c]; }
      s = a * s + beta[r] * (v[r * p.dv + i] - a * w) * kj;
      hist[t - t0] = s;
      whist[t - t0] = w;
    }
    workgroupBarrier();
    for (var t1r = t1; t1r > t0; t1r = t1r - 1u) {
      let t = t1r - 1u;
      let l = t - t0;
      let r = (b * p.t_len + t) * p.heads + h;
      let kj = k[r * dk + j];
      let qj = p.scale * q[r * dk + j];
      let a = alpha_at(r);
      let bt = beta[r];
      let doi = dout[r * p.dv + i];
      let st = hist[l];
      var prev = s0;
      if (l > 0u) { prev = hist[l - 1u]; }
      let w = whist[l];
      let u = v[r * p.dv + i] - a * w;
      ds = ds + doi * qj;
      red[lid] = ds * kj;
      red[STATE_CAP + lid] = ds * prev;
      red[2u * STATE_CAP + lid] = st * doi;
      workgroupBarrier();
      var dsk = 0.0;
      var dsp = 0.0;
      for (var c = 0u; c < dk; c = c + 1u) {
        dsk = dsk + red[row0 + c];
        dsp = dsp + red[STATE_CAP + row0 + c];
      }
      let du = bt * dsk;
      let dw = -a * du;
      if (i == 0u) {
        var dq = 0.0;
        for (var c = 0u; c < p.dv; c = c + 1u) { dq = dq + red[2u * STATE_CAP + c * dk + j]; }
        grads[r * W + j] = p.scale * dq;
      }
      if (j == 0u) {
        grads[r * W + 2u * dk + i] = du;
        row_db[i] = u * dsk;
        row_da[i] = dsp - du * w;
      }
      col[lid] = bt * ds * u + prev * dw;
      workgroupBarrier();
      if (i == 0u) {
        var dkj = 0.0;
        for (var c = 0u; c < p.dv; c = c + 1u) { dkj = dkj + col[c * dk + j]; }
        grads[r * W + dk + j] = dkj;
      }
      if (lid == 0u) {
        var db = 0.0;
        var da = 0.0;
        for (var c = 0u; c < p.dv; c = c + 1u) {
          db = db + row_db[c];
          da = da + row_da[c];
        }
        grads[r * W + 2u * dk + p.dv] = db;
        grads[r * W + 2u * dk + p.dv + 1u] = a * da;
      }
      ds = a * ds + dw * kj;
    }
  }
}
