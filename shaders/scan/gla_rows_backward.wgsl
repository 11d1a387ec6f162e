// Chunked linear recurrence, backward, barrier-free 'rows' variant (see gla_rows_common.wgsl):
// invocations [0, B·H·DK) own a state row (b, h, i), the next B·H·DV a column (b, h, j); neither
// needs another's values, so one dispatch runs both. With G_t = ∂L/∂S_t:
//   mode 0: G_t = σq_t dO_tᵀ + diag(exp(lw_{t+1})) G_{t+1};  mode 1: G_t = diag(exp(lw_{t+1})) G_{t+1} + σq_{t+1} dO_{t+1}ᵀ
//   dq_t[i] = σ S[i, :]·dO_t (S = S_t in mode 0, S_{t−1} in mode 1)   (+ σ u_i k_t[i] (v_t·dO_t))
//   dk_t[i] = G_t[i, :]·v_t                                            (+ σq_t[i] u_i (v_t·dO_t))
//   dv_t[j] = G_t[:, j]·k_t                                            (+ (Σ_i σq_t[i] u_i k_t[i]) dO_t[j])
//   du[i] partial = Σ_t σq_t[i] k_t[i] (v_t·dO_t)   (mode 1)
// and, with B_t the cumulative log decay over the whole sequence (docs/kernels.md §4), the decay
// gradient from ∂L/∂B_t = −k_t ∘ dk'_t and ∂L/∂Bq_t = q_t ∘ dq'_t (bonus excluded) as a suffix sum:
//   dlw_τ = Σ_{t≥τ} ∂L/∂B_t + Σ_{t≥τ (mode 0) or t>τ (mode 1)} ∂L/∂Bq_t.
// A row runs forward over t for S[i, :] (dq, and ∂L/∂Bq parked in the dlw slot), then backward
// for G[i, :] (dk, dlw, du); a column runs backward for G[:, j] in a private array (dv).
// q, k, lw: [B, T, H, DK]; v, dout: [B, T, H, DV]; u: [H, DK]. scratch, as gla_backward.wgsl's
// (gla_backward_scatter / _du read it) with one du partial per (b, h) (NC = 1), then a row's
// S or G: [B, T, H, 3, DK] dq, dk, dlw; [B, T, H, DV] dv; [B, H, DK] du; [B, H, DK, DV] rows.
// #include "scan/gla_rows_common.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> lw: array<f32>;
@group(0) @binding(4) var<storage, read_write> u: array<f32>;
@group(0) @binding(5) var<storage, read_write> dout: array<f32>;
@group(0) @binding(6) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(7) var<uniform> params: Params;

override WG: u32 = 64u;

fn g_index(p: Params, r: u32, which: u32, i: u32) -> u32 {
  return (r * 3u + which) * p.dk + i;
}

fn backward_row(p: Params, bh: u32, i: u32) {
  let dk = p.dk;
  let dv = p.dv;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let nk = p.batch * p.time * p.heads * dk;
  let nv = p.batch * p.time * p.heads * dv;
  let row = 3u * nk + nv + p.batch * p.heads * dk + (bh * dk + i) * dv;
  let ui = select(0.0, u[h * dk + i], p.mode == 1u);
  for (var j = 0u; j < dv; j++) { scratch[row + j] = 0.0; }
  for (var t = 0u; t < p.time; t++) {
    let r = row_of(p, b, t, h);
    let qi = p.scale * q[r * dk + i];
    let ki = k[r * dk + i];
    let a = exp(lw[r * dk + i]);
    var so = 0.0;
    var vd = 0.0;
    for (var j = 0u; j < dv; j++) {
      let d = dout[r * dv + j];
      let vj = v[r * dv + j];
      let old = scratch[row + j];
      let s = a * old + ki * vj;
      scratch[row + j] = s;
      so += select(old, s, p.mode == 0u) * d;
      vd += vj * d;
    }
    scratch[g_index(p, r, 0u, i)] = p.scale * (so + ui * ki * vd);
    scratch[g_index(p, r, 2u, i)] = qi * so;
  }
  for (var j = 0u; j < dv; j++) { scratch[row + j] = 0.0; }
  var suffix = 0.0; // Σ over later steps of ∂L/∂B + ∂L/∂Bq
  var du_acc = 0.0;
  for (var t = p.time; t > 0u; t--) {
    let r = row_of(p, b, t - 1u, h);
    let qi = p.scale * q[r * dk + i];
    let ki = k[r * dk + i];
    let a = exp(lw[r * dk + i]);
    var dkk = 0.0;
    var vd = 0.0;
    for (var j = 0u; j < dv; j++) {
      let d = dout[r * dv + j];
      let vj = v[r * dv + j];
      // The carry is diag(exp(lw_{t+1})) G_{t+1} in mode 0 (G_t adds σq_t dO_t), G_t in mode 1.
      let carry = scratch[row + j];
      let g = select(carry, carry + qi * d, p.mode == 0u);
      dkk += g * vj;
      vd += vj * d;
      scratch[row + j] = select(a * g + qi * d, a * g, p.mode == 0u);
    }
    let gb = -ki * dkk;
    let at = g_index(p, r, 2u, i);
    let gbq = scratch[at];
    scratch[at] = suffix + gb + select(0.0, gbq, p.mode == 0u);
    suffix += gb + gbq;
    scratch[g_index(p, r, 1u, i)] = dkk + qi * ui * vd;
    du_acc += qi * ki * vd;
  }
  scratch[3u * nk + nv + bh * dk + i] = select(0.0, du_acc, p.mode == 1u);
}

fn backward_column(p: Params, bh: u32, j: u32) {
  let dk = p.dk;
  let dv = p.dv;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let nk = p.batch * p.time * p.heads * dk;
  var g: array<f32, MAXK>;
  for (var i = 0u; i < dk; i++) { g[i] = 0.0; }
  for (var t = p.time; t > 0u; t--) {
    let r = row_of(p, b, t - 1u, h);
    let d = dout[r * dv + j];
    var acc = 0.0;
    var bonus = 0.0;
    for (var i = 0u; i < dk; i++) {
      let qi = p.scale * q[r * dk + i];
      let ki = k[r * dk + i];
      let gi = select(g[i], g[i] + qi * d, p.mode == 0u);
      acc += gi * ki;
      bonus += qi * u[h * dk + i] * ki;
      let a = exp(lw[r * dk + i]);
      g[i] = select(a * gi + qi * d, a * gi, p.mode == 0u);
    }
    scratch[3u * nk + r * dv + j] = acc + select(0.0, bonus * d, p.mode == 1u);
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = params;
  let n = flat_index(gid, nwg, WG);
  let rows = p.batch * p.heads * p.dk;
  if (n < rows) {
    backward_row(p, n / p.dk, n % p.dk);
  } else if (n < rows + p.batch * p.heads * p.dv) {
    backward_column(p, (n - rows) / p.dv, (n - rows) % p.dv);
  }
}
