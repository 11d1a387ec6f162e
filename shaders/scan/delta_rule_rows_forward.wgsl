// Delta rule, forward, barrier-free 'rows' variant for CPU adapters (which run a workgroup's
// invocations as coroutines, where every barrier switches each of them): one invocation per state
// row (b, h, i) holds S[i, :] in registers and needs no other row (docs/kernels.md "Delta rule"):
//   w_i = S[i, :]·k_t,  u_i = v_t[i] − α_t w_i,  S[i, :] = α_t S[i, :] + β_t u_i k_t,  o_t[i] = scale · S[i, :]·q_t
// It stores the states before every chunk in the layout of delta_rule_forward.wgsl (its
// one-invocation-per-element twin), which both backward variants read.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> log_alpha: array<f32>;
@group(0) @binding(5) var<storage, read_write> o: array<f32>;
@group(0) @binding(6) var<storage, read_write> states: array<f32>;
@group(0) @binding(7) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg, WG);
  let dk = p.dk;
  let dv = p.dv;
  if (n >= p.batch * p.heads * dv) { return; }
  let bh = n / dv;
  let i = n % dv;
  let b = bh / p.heads;
  let h = bh % p.heads;
  var s: array<f32, STATE_CAP>;
  for (var j = 0u; j < dk; j = j + 1u) { s[j] = 0.0; }
  for (var t = 0u; t < p.t_len; t = t + 1u) {
    if (t % p.chunk == 0u) {
      let at = ((bh * p.n_chunks + t / p.chunk) * dv + i) * dk;
      for (var j = 0u; j < dk; j = j + 1u) { states[at + j] = s[j]; }
    }
    let r = (b * p.t_len + t) * p.heads + h;
    var a = 1.0;
    if (p.gated == 1u) { a = exp(log_alpha[r]); }
    var w = 0.0;
    for (var j = 0u; j < dk; j = j + 1u) { w = w + s[j] * k[r * dk + j]; }
    let bu = beta[r] * (v[r * dv + i] - a * w);
    var acc = 0.0;
    for (var j = 0u; j < dk; j = j + 1u) {
      s[j] = a * s[j] + bu * k[r * dk + j];
      acc = acc + s[j] * q[r * dk + j];
    }
    o[r * dv + i] = p.scale * acc;
  }
}
