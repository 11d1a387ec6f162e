// Chunked linear recurrence, backward pass 2 of 2: every gradient, one workgroup per
// (b, h, chunk), from the saved entering state S_c and the leaving gradient dS_c (slots 0 and 1
// of states). With dA[t, s] = dO_t · v_s and the masked A of the forward:
//   dv_s  += Σ_t A[t, s] dO_t + Σ_i k_s[i] exp(b_L[i] − b_s[i]) dS[i, :]
//   dq_t   = Σ_{s reaches t} dA[t,s] k_s ∘ exp(bq_t − b_s) + exp(bq_t) ∘ (S_c dO_t)   (+ dA[t,t] u ∘ k_t)
//   dk_s   = Σ_{t reached} dA[t,s] q_t ∘ exp(bq_t − b_s) + exp(b_L − b_s) ∘ (dS v_s)   (+ dA[s,s] u ∘ q_s)
//   ∂/∂bq_t = q_t ∘ dq_t, ∂/∂b_s −= k_s ∘ dk_s, ∂/∂b_L += Σ_s k_s ∘ (state part of dk_s) + exp(b_L) ∘ ⟨S_c, dS⟩
//     (bonus terms excluded), and dlw_τ = Σ_{t≥τ} ∂/∂b_t + Σ_{t≥τ (mode 0) or t>τ (mode 1)} ∂/∂bq_t.
//   du[i] partial = Σ_t dA[t,t] q_t[i] k_t[i] (mode 1), reduced over batch and chunks by gla_backward_du.
// q, k, lw: [B, T, H, DK]; v, dout, dv: [B, T, H, DV]; u: [H, DK]; states: [B, H, NC, 2, DK, DV];
// scratch (written, not accumulated), packed so this dispatch needs only 8 storage bindings:
//   [0, B·T·H·3·DK): [B, T, H, 3, DK] this op's dq, dk, dlw;  then [B, T, H, DV] its dv;
//   then [B, H, NC, DK] the per-chunk du partials. gla_backward_scatter / _du add them to the
//   real gradients.
// #include "scan/gla_common.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> lw: array<f32>;
@group(0) @binding(4) var<storage, read_write> u: array<f32>;
@group(0) @binding(5) var<storage, read_write> dout: array<f32>;
@group(0) @binding(6) var<storage, read_write> states: array<f32>;
@group(0) @binding(7) var<storage, read_write> gqkw: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

override WG: u32 = 64u;

var<workgroup> sa: array<f32, 256>;  // CH × CH, A
var<workgroup> sda: array<f32, 256>; // CH × CH, dA

fn g_index(p: Params, b: u32, t: u32, h: u32, which: u32, i: u32) -> u32 {
  return (((b * p.time + t) * p.heads + h) * 3u + which) * p.dk + i;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid3: vec3<u32>) {
  let p = params;
  let flat = wid.x + wid.y * nwg.x;
  if (flat >= p.batch * p.heads * p.nc) { return; }
  let c = flat % p.nc;
  let bh = flat / p.nc;
  let b = bh / p.heads;
  let h = bh % p.heads;
  let lid = lid3.x;
  let dk = p.dk;
  let dv = p.dv;
  let len = chunk_len(p, c);
  let t0 = c * CH;
  for (var e = lid; e < CH * dk; e += WG) {
    let t = e / dk;
    let i = e % dk;
    if (t < len) {
      let at = qk_index(p, b, t0 + t, h, i);
      sq[e] = p.scale * q[at];
      sk[e] = k[at];
      sb[e] = lw[at];
    } else {
      sq[e] = 0.0;
      sk[e] = 0.0;
      sb[e] = 0.0;
    }
  }
  workgroupBarrier();
  cumsum_chunk(dk, lid, WG);
  workgroupBarrier();
  for (var e = lid; e < CH * CH; e += WG) {
    let t = e / CH;
    let s = e % CH;
    var a = 0.0;
    var da = 0.0;
    if (t < len && s < len) {
      if (reaches(t, s, p.mode)) {
        for (var i = 0u; i < dk; i++) {
          a += sq[t * dk + i] * sk[s * dk + i] * exp(bq_at(dk, t, i, p.mode) - sb[s * dk + i]);
        }
      } else if (p.mode == 1u && s == t) {
        for (var i = 0u; i < dk; i++) { a += sq[t * dk + i] * u[h * dk + i] * sk[t * dk + i]; }
      }
      for (var j = 0u; j < dv; j++) {
        da += dout[v_index(p, b, t0 + t, h, j)] * v[v_index(p, b, t0 + s, h, j)];
      }
    }
    sa[e] = a;
    sda[e] = da;
  }
  workgroupBarrier();

  // dv, one (position, value column) per invocation.
  for (var e = lid; e < len * dv; e += WG) {
    let s = e / dv;
    let j = e % dv;
    var acc = 0.0;
    for (var t = s; t < len; t++) { acc += sa[t * CH + s] * dout[v_index(p, b, t0 + t, h, j)]; }
    for (var i = 0u; i < dk; i++) {
      acc += sk[s * dk + i] * exp(sb[(CH - 1u) * dk + i] - sb[s * dk + i]) * states[state_index(p, bh, c, 1u, i, j)];
    }
    gqkw[p.batch * p.time * p.heads * 3u * dk + v_index(p, b, t0 + s, h, j)] = acc;
  }

  // dq, dk, dlw, du, one key channel per invocation.
  for (var i = lid; i < dk; i += WG) {
    let bl = sb[(CH - 1u) * dk + i];
    let ui = select(0.0, u[h * dk + i], p.mode == 1u);
    // dlw_τ = tail + Σ_{t≥τ} gb_t + Σ_{t≥τ (mode 0) or t>τ (mode 1)} gbq_t, with gb_t = ∂/∂b_t
    // (without the b_L tail) and gbq_t = ∂/∂bq_t, written as tail + total − prefix_τ: the loop
    // stores −prefix_τ, a second pass adds tail + total (no private arrays: they compile slowly).
    var tail = 0.0;   // ∂/∂b_L, which reaches every position's lw
    var prefix = 0.0;
    var du_acc = 0.0;
    for (var t = 0u; t < len; t++) {
      let qt = sq[t * dk + i];
      let kt = sk[t * dk + i];
      let bqt = bq_at(dk, t, i, p.mode);
      let bt = sb[t * dk + i];
      // dq_t
      var dq = 0.0;
      for (var s = 0u; s <= t; s++) {
        if (reaches(t, s, p.mode)) { dq += sda[t * CH + s] * sk[s * dk + i] * exp(bqt - sb[s * dk + i]); }
      }
      var so = 0.0;
      for (var j = 0u; j < dv; j++) {
        so += states[state_index(p, bh, c, 0u, i, j)] * dout[v_index(p, b, t0 + t, h, j)];
      }
      dq += exp(bqt) * so;
      let gbq = qt * dq;
      // dk_t
      var dkk = 0.0;
      for (var t2 = t; t2 < len; t2++) {
        if (reaches(t2, t, p.mode)) { dkk += sda[t2 * CH + t] * sq[t2 * dk + i] * exp(bq_at(dk, t2, i, p.mode) - bt); }
      }
      var sv = 0.0;
      for (var j = 0u; j < dv; j++) {
        sv += states[state_index(p, bh, c, 1u, i, j)] * v[v_index(p, b, t0 + t, h, j)];
      }
      let dk_state = exp(bl - bt) * sv;
      dkk += dk_state;
      let gb = -kt * dkk;
      tail += kt * dk_state;
      // The bonus (mode 1) does not depend on the decay.
      let dd = sda[t * CH + t];
      if (p.mode == 1u) {
        dq += dd * ui * kt;
        dkk += dd * ui * qt;
        du_acc += dd * qt * kt;
      }
      let at = g_index(p, b, t0 + t, h, 0u, i);
      gqkw[at] = p.scale * dq;
      gqkw[at + dk] = dkk;
      gqkw[at + 2u * dk] = -(prefix + select(0.0, gbq, p.mode == 1u));
      prefix += gb + gbq;
    }
    var ss = 0.0;
    for (var j = 0u; j < dv; j++) {
      ss += states[state_index(p, bh, c, 0u, i, j)] * states[state_index(p, bh, c, 1u, i, j)];
    }
    tail += exp(bl) * ss;
    let offset = tail + prefix;
    for (var t = 0u; t < len; t++) {
      let at = g_index(p, b, t0 + t, h, 2u, i);
      gqkw[at] = gqkw[at] + offset;
    }
    let du_at = p.batch * p.time * p.heads * (3u * dk + dv) + (bh * p.nc + c) * dk + i;
    gqkw[du_at] = du_acc;
  }
}
