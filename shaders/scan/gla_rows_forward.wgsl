// Chunked linear recurrence, forward, barrier-free 'rows' variant (see gla_rows_common.wgsl): one
// invocation per state column (b, h, j) holds S[:, j] in a private array. The decay scales rows
// and o_t[j] = Σ_i σq_t[i] S[i, j] sums down the column, so no other column is needed. Nothing
// is stored for the backward, which recomputes S (gla_rows_backward.wgsl).
// q, k, lw: [B, T, H, DK]; v, o: [B, T, H, DV]; u: [H, DK].
// #include "scan/gla_rows_common.wgsl"

@group(0) @binding(0) var<storage, read_write> q: array<f32>;
@group(0) @binding(1) var<storage, read_write> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> lw: array<f32>;
@group(0) @binding(4) var<storage, read_write> u: array<f32>;
@group(0) @binding(5) var<storage, read_write> o: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

override WG: u32 = 64u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = params;
  let dk = p.dk;
  let dv = p.dv;
  let n = flat_index(gid, nwg, WG);
  if (n >= p.batch * p.heads * dv) { return; }
  let bh = n / dv;
  let j = n % dv;
  let b = bh / p.heads;
  let h = bh % p.heads;
  var s: array<f32, MAXK>;
  for (var i = 0u; i < dk; i++) { s[i] = 0.0; }
  for (var t = 0u; t < p.time; t++) {
    let r = row_of(p, b, t, h);
    let vj = v[r * dv + j];
    var acc = 0.0;
    for (var i = 0u; i < dk; i++) {
      let ki = k[r * dk + i];
      let old = s[i];
      s[i] = exp(lw[r * dk + i]) * old + ki * vj;
      // mode 1 reads the previous state plus the bonus; mode 0 the updated state.
      acc += q[r * dk + i] * select(old + u[h * dk + i] * ki * vj, s[i], p.mode == 0u);
    }
    o[r * dv + j] = p.scale * acc;
  }
}
