// Delta rule, backward, barrier-free 'rows' variant, pass 2 of 2 (docs/kernels.md "Delta rule"):
// the sums over state rows, without atomics, by one invocation per state column (b, h, j). It
// recomputes the column S[:, j] of each chunk from its boundary state and the row pass's u_t
// (S[:, j] ← α S[:, j] + β u k_j needs no other column), then runs the steps backward with the
// column dS[:, j] in registers, fed the row pass's dw_t:
//   dS[:, j] += do · scale·q_j;  dq_j = scale · S_t[:, j]·do;  dk_j = β dS[:, j]·u + S_{t−1}[:, j]·dw;
//   dS[:, j] ← α dS[:, j] + dw k_j;
// column 0 also adds up the row terms of dβ and d log α. Writes the packed rows' dq, dk, dβ,
// d log α (the row pass wrote dv).
// #include "common/index.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> log_alpha: array<f32>;
@group(0) @binding(4) var<storage, read_write> states: array<f32>;
@group(0) @binding(5) var<storage, read_write> dout: array<f32>;
@group(0) @binding(6) var<storage, read_write> grads: array<f32>;
@group(0) @binding(7) var<uniform> p: DeltaParams;

// #include "scan/delta_rule_rows_common.wgsl"

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = flat_index(gid, nwg, WG);
  let dk = p.dk;
  let dv = p.dv;
  if (n >= p.batch * p.heads * dk) { return; }
  let bh = n / dk;
  let j = n % dk;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let W = p.grad_width;
  let hist = hist_base(n, dv);
  var s: array<f32, STATE_CAP>;
  var ds: array<f32, STATE_CAP>;
  for (var i = 0u; i < dv; i = i + 1u) { ds[i] = 0.0; }
  for (var kc1 = p.n_chunks; kc1 > 0u; kc1 = kc1 - 1u) {
    let t0 = (kc1 - 1u) * p.chunk;
    let t1 = min(t0 + p.chunk, p.t_len);
    let at = (bh * p.n_chunks + kc1 - 1u) * dv * dk + j;
    for (var i = 0u; i < dv; i = i + 1u) { s[i] = states[at + i * dk]; }
    for (var t = t0; t < t1; t = t + 1u) {
      let r = (b * p.t_len + t) * p.heads + h;
      var a = 1.0;
      if (p.gated == 1u) { a = exp(log_alpha[r]); }
      let kj = k[r * dk + j];
      let row = hist + (t - t0) * dv;
      let ub = part_base(r, 0u);
      for (var i = 0u; i < dv; i = i + 1u) {
        grads[row + i] = s[i];
        s[i] = a * s[i] + beta[r] * grads[ub + i] * kj;
      }
    }
    // s holds S_t of the step being taken back; each step leaves S_{t−1} there for the next.
    for (var t1r = t1; t1r > t0; t1r = t1r - 1u) {
      let t = t1r - 1u;
      let r = (b * p.t_len + t) * p.heads + h;
      var a = 1.0;
      if (p.gated == 1u) { a = exp(log_alpha[r]); }
      let bt = beta[r];
      let kj = k[r * dk + j];
      let qj = p.scale * q[r * dk + j];
      let row = hist + (t - t0) * dv;
      let ub = part_base(r, 0u);
      let dwb = part_base(r, 1u);
      var dq = 0.0;
      var dkj = 0.0;
      for (var i = 0u; i < dv; i = i + 1u) {
        let doi = dout[r * dv + i];
        let prev = grads[row + i];
        ds[i] = ds[i] + doi * qj;
        dq = dq + s[i] * doi;
        let dw = grads[dwb + i];
        dkj = dkj + bt * ds[i] * grads[ub + i] + prev * dw;
        ds[i] = a * ds[i] + dw * kj;
        s[i] = prev;
      }
      grads[r * W + j] = p.scale * dq;
      grads[r * W + dk + j] = dkj;
      if (j == 0u) {
        var db = 0.0;
        var da = 0.0;
        for (var i = 0u; i < dv; i = i + 1u) {
          db = db + grads[part_base(r, 2u) + i];
          da = da + grads[part_base(r, 3u) + i];
        }
        grads[r * W + 2u * dk + dv] = db;
        grads[r * W + 2u * dk + dv + 1u] = a * da;
      }
    }
  }
}
