// CPU f64 reference of the (optionally gated) delta rule (docs/kernels.md "Delta rule"): the plain
// per-token recurrence, the oracle for the chunked shaders/scan/delta_rule_*.wgsl, and its
// reverse-mode backward. Per (b, h), with S ∈ ℝ^{dv×dk} starting at 0:
//   S_t = α_t S_{t−1}(I − β_t k_t k_tᵀ) + β_t v_t k_tᵀ,   o_t = scale · S_t q_t,   α_t = exp(log α_t)
// (α_t = 1 when ungated). q, k: [B, T, H, dk]; v, o: [B, T, H, dv]; beta, logAlpha: [B, T, H].

export interface DeltaRuleDims {
  B: number;
  T: number;
  H: number;
  dk: number;
  dv: number;
}

export interface DeltaRuleArrays {
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  beta: Float64Array;
  /** null: ungated (α_t = 1, DeltaNet). */
  logAlpha: Float64Array | null;
}

export interface DeltaRuleGrads {
  dq: Float64Array;
  dk: Float64Array;
  dv: Float64Array;
  dBeta: Float64Array;
  /** Zeros when ungated. */
  dLogAlpha: Float64Array;
}

/** Every state S_t, [B, H, T, dv, dk], and w_t = S_{t−1} k_t, [B, H, T, dv]. */
function states(s: DeltaRuleDims, a: DeltaRuleArrays): { S: Float64Array; w: Float64Array } {
  const { B, T, H, dk, dv } = s;
  const S = new Float64Array(B * H * T * dv * dk);
  const w = new Float64Array(B * H * T * dv);
  const cur = new Float64Array(dv * dk);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      cur.fill(0);
      for (let t = 0; t < T; t++) {
        const r = (b * T + t) * H + h;
        const alpha = a.logAlpha ? Math.exp(a.logAlpha[r]!) : 1;
        const beta = a.beta[r]!;
        const base = ((b * H + h) * T + t) * dv;
        for (let i = 0; i < dv; i++) {
          let wi = 0;
          for (let j = 0; j < dk; j++) wi += cur[i * dk + j]! * a.k[r * dk + j]!;
          w[base + i] = wi;
          const u = a.v[r * dv + i]! - alpha * wi;
          for (let j = 0; j < dk; j++) cur[i * dk + j] = alpha * cur[i * dk + j]! + beta * u * a.k[r * dk + j]!;
        }
        S.set(cur, base * dk);
      }
    }
  return { S, w };
}

export function deltaRuleForwardReference(s: DeltaRuleDims, a: DeltaRuleArrays, scale: number): Float64Array {
  const { B, T, H, dk, dv } = s;
  const { S } = states(s, a);
  const o = new Float64Array(B * T * H * dv);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const r = (b * T + t) * H + h;
        const base = ((b * H + h) * T + t) * dv * dk;
        for (let i = 0; i < dv; i++) {
          let acc = 0;
          for (let j = 0; j < dk; j++) acc += S[base + i * dk + j]! * a.q[r * dk + j]!;
          o[r * dv + i] = scale * acc;
        }
      }
  return o;
}

export function deltaRuleBackwardReference(s: DeltaRuleDims, a: DeltaRuleArrays, dout: Float64Array, scale: number): DeltaRuleGrads {
  const { B, T, H, dk, dv } = s;
  const { S, w } = states(s, a);
  const g: DeltaRuleGrads = {
    dq: new Float64Array(B * T * H * dk),
    dk: new Float64Array(B * T * H * dk),
    dv: new Float64Array(B * T * H * dv),
    dBeta: new Float64Array(B * T * H),
    dLogAlpha: new Float64Array(B * T * H),
  };
  const dS = new Float64Array(dv * dk);
  const zero = new Float64Array(dv * dk);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      dS.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const r = (b * T + t) * H + h;
        const alpha = a.logAlpha ? Math.exp(a.logAlpha[r]!) : 1;
        const beta = a.beta[r]!;
        const at = ((b * H + h) * T + t) * dv * dk;
        const St = S.subarray(at, at + dv * dk);
        const prev = t > 0 ? S.subarray(at - dv * dk, at) : zero;
        const wt = w.subarray(((b * H + h) * T + t) * dv, ((b * H + h) * T + t + 1) * dv);
        const k = a.k.subarray(r * dk, (r + 1) * dk);
        const dw = new Float64Array(dv);
        let dAlpha = 0;
        for (let i = 0; i < dv; i++) {
          const doi = dout[r * dv + i]!;
          for (let j = 0; j < dk; j++) {
            dS[i * dk + j] += doi * scale * a.q[r * dk + j]!;
            g.dq[r * dk + j] += scale * St[i * dk + j]! * doi;
          }
        }
        for (let i = 0; i < dv; i++) {
          const u = a.v[r * dv + i]! - alpha * wt[i]!;
          let dSk = 0;
          for (let j = 0; j < dk; j++) {
            dSk += dS[i * dk + j]! * k[j]!;
            dAlpha += dS[i * dk + j]! * prev[i * dk + j]!;
          }
          const du = beta * dSk;
          g.dv[r * dv + i] += du;
          g.dBeta[r] += u * dSk;
          dAlpha -= du * wt[i]!;
          dw[i] = -alpha * du;
          for (let j = 0; j < dk; j++) g.dk[r * dk + j] += beta * dS[i * dk + j]! * u + prev[i * dk + j]! * dw[i]!;
        }
        if (a.logAlpha) g.dLogAlpha[r] += alpha * dAlpha;
        for (let i = 0; i < dv; i++) for (let j = 0; j < dk; j++) dS[i * dk + j] = alpha * dS[i * dk + j]! + dw[i]! * k[j]!;
      }
    }
  return g;
}
