// torch.optim.AdamW in f64, written from PyTorch's documented algorithm (docs of
// torch.optim.AdamW, amsgrad = False, maximize = False):
//   θ_t ← θ_{t−1} − γ λ θ_{t−1}
//   m_t ← β1 m_{t−1} + (1 − β1) g_t
//   v_t ← β2 v_{t−1} + (1 − β2) g_t²
//   m̂_t ← m_t / (1 − β1^t);  v̂_t ← v_t / (1 − β2^t)
//   θ_t ← θ_t − γ m̂_t / (√v̂_t + ε)

export interface AdamWReferenceState {
  param: Float64Array;
  m: Float64Array;
  v: Float64Array;
}

export interface AdamWReferenceConfig {
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export function adamwInit(param: ArrayLike<number>): AdamWReferenceState {
  return { param: Float64Array.from(param), m: new Float64Array(param.length), v: new Float64Array(param.length) };
}

/** One step t (1-based), in place. */
export function adamwReferenceStep(s: AdamWReferenceState, grad: ArrayLike<number>, t: number, c: AdamWReferenceConfig): void {
  for (let i = 0; i < s.param.length; i++) {
    const g = grad[i]!;
    let theta = s.param[i]!;
    theta -= c.lr * c.weightDecay * theta;
    const m = c.beta1 * s.m[i]! + (1 - c.beta1) * g;
    const v = c.beta2 * s.v[i]! + (1 - c.beta2) * g * g;
    const mHat = m / (1 - c.beta1 ** t);
    const vHat = v / (1 - c.beta2 ** t);
    s.param[i] = theta - (c.lr * mHat) / (Math.sqrt(vHat) + c.eps);
    s.m[i] = m;
    s.v[i] = v;
  }
}
