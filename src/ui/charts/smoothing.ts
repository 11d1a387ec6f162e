// Exponential moving average for noisy step curves, debiased as TensorBoard does so the first
// points are not dragged toward zero: s_t = w·s_{t−1} + (1 − w)·y_t, shown as s_t / (1 − w^t).

export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`The smoothing weight must be in [0, 1), got ${weight}.`);
  const smoothed: number[] = [];
  let state = 0;
  let correction = 1;
  for (const value of values) {
    state = weight * state + (1 - weight) * value;
    correction *= weight;
    smoothed.push(state / (1 - correction));
  }
  return smoothed;
}
