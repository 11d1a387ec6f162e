// CPU f64 reference of the MoE gate (plain loops over rows of E scores), plus a naive
// sort-based formulation (torch.topk's k-th value, then the `<` mask) to check the counting rule.

/** kept[e]: fewer than k scores of the row are strictly greater than score e. */
function keptMask(s: Float64Array, base: number, e: number, k: number): boolean[] {
  const kept: boolean[] = [];
  for (let i = 0; i < e; i++) {
    let greater = 0;
    for (let j = 0; j < e; j++) if (s[base + j]! > s[base + i]!) greater++;
    kept.push(greater < k);
  }
  return kept;
}

function softmaxRow(v: number[]): number[] {
  const m = Math.max(...v);
  const p = v.map((x) => Math.exp(x - m));
  const z = p.reduce((a, b) => a + b, 0);
  return p.map((x) => x / z);
}

export function moeGateForwardReference(scores: Float64Array, e: number, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let base = 0; base < scores.length; base += e) {
    const kept = keptMask(scores, base, e, k);
    const g = softmaxRow(kept.map((keep, i) => (keep ? scores[base + i]! : 0)));
    g.forEach((v, i) => (out[base + i] = v));
  }
  return out;
}

export function moeGateBackwardReference(scores: Float64Array, dgate: Float64Array, e: number, k: number): Float64Array {
  const gate = moeGateForwardReference(scores, e, k);
  const ds = new Float64Array(scores.length);
  for (let base = 0; base < scores.length; base += e) {
    const kept = keptMask(scores, base, e, k);
    let dot = 0;
    for (let i = 0; i < e; i++) dot += gate[base + i]! * dgate[base + i]!;
    for (let i = 0; i < e; i++) if (kept[i]) ds[base + i] = gate[base + i]! * (dgate[base + i]! - dot);
  }
  return ds;
}

/** The naive formulation: sort descending, m = k-th value, replace s < m by 0, softmax. */
export function moeGateNaive(scores: Float64Array, e: number, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let base = 0; base < scores.length; base += e) {
    const row = Array.from(scores.subarray(base, base + e));
    const m = [...row].sort((a, b) => b - a)[k - 1]!;
    softmaxRow(row.map((v) => (v < m ? 0 : v))).forEach((v, i) => (out[base + i] = v));
  }
  return out;
}
