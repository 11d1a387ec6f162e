// Delta rule, backward, barrier-free 'rows' variant, pass 1 of 2 (docs/kernels.md "Delta rule"):
// one invocation per state row (b, h, i), chunks in reverse, each recomputed from its stored
// boundary state with the row's S_{t−1} kept in the scratch history, then its steps backward with
// the row dS[i, :] in registers:
//   dS[i, :] += do_i · scale·q_t;  du_i = β (dS k)_i;  dv_i = du_i;  dw_i = −α du_i;
//   dS[i, :] ← α dS[i, :] + dw_i k_t.
// Everything here is row-local. What sums over rows is left to pass 2
// (delta_rule_rows_backward_columns.wgsl): u_i and dw_i for dq and dk, and the row terms of dβ and
// d log α. No float atomics, no workgroup memory.
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> log_alpha: array<f32>;
@group(0) @binding(5) var<storage, read_write> states: array<f32>;
@group(0) @binding(6) var<storage, read_write> dout: array<f32>;
@group(0) @binding(7) var<storage, read_write> grads: array<f32>;
@group(0) @binding(8) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_rows_common.wgsl"

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
  let W = p.grad_width;
  let hist = hist_base(n, dk);
  var s: array<f32, STATE_CAP>;
  var ds: array<f32, STATE_CAP>;
  for (var j = 0u; j < dk; j = j + 1u) { ds[j] = 0.0; }
  for (var kc1 = p.n_chunks; kc1 > 0u; kc1 = kc1 - 1u) {
    let t0 = (kc1 - 1u) * p.chunk;
    let t1 = min(t0 + p.chunk, p.t_len);
    let at = ((bh * p.n_chunks + kc1 - 1u) * dv + i) * dk;
    for (var j = 0u; j < dk; j = j + 1u) { s[j] = states[at + j]; }
    for (var t = t0; t < t1; t = t + 1u) {
      let r = (b * p.t_len + t) * p.heads + h;
      var a = 1.0;
      if (p.gated == 1u) { a = exp(log_alpha[r]); }
      let row = hist + (t - t0) * dk;
      var w = 0.0;
      for (var j = 0u; j < dk; j = j + 1u) {
        grads[row + j] = s[j];
        w = w + s[j] * k[r * dk + j];
      }
      let bu = beta[r] * (v[r * dv + i] - a * w);
      for (var j = 0u; j < dk; j = j + 1u) { s[j] = a * s[j] + bu * k[r * dk + j]; }
    }
    for (var t1r = t1; t1r > t0; t1r = t1r - 1u) {
      let t = t1r - 1u;
      let r = (b * p.t_len + t) * p.heads + h;
      var a = 1.0;
      if (p.gated == 1u) { a = exp(log_alpha[r]); }
      let row = hist + (t - t0) * dk;
      let doi = dout[r * dv + i];
      var dsk = 0.0;
      var dsp = 0.0;
      var w = 0.0;
      for (var j = 0u; j < dk; j = j + 1u) {
        let kj = k[r * dk + j];
        let prev = grads[row + j];
        ds[j] = ds[j] + doi * (p.scale * q[r * dk + j]);
        dsk = dsk + ds[j] * kj;
        dsp = dsp + ds[j] * prev;
        w = w + prev * kj;
      }
      let u = v[r * dv + i] - a * w;
      let du = beta[r] * dsk;
      let dw = -a * du;
      grads[r * W + 2u * dk + i] = du;
      grads[part_base(r, 0u) + i] = u;
      grads[part_base(r, 1u) + i] = dw;
      grads[part_base(r, 2u) + i] = u * dsk;
      grads[part_base(r, 3u) + i] = dsp - du * w;
      for (var j = 0u; j < dk; j = j + 1u) { ds[j] = a * ds[j] + dw * k[r * dk + j]; }
    }
  }
}
