// Central finite differences on f64 reference implementations. Each reference supplies an
// analytic backward; this checks it against (f(x+h) − f(x−h)) / 2h of the scalar
// Σ upstream·f(x), for every input element (references are checked at tiny sizes).

export interface GradcheckResult {
  maxAbsDiff: number;
  maxRelDiff: number;
}

/**
 * @param f         forward: inputs → output (flat)
 * @param inputs    f64 inputs; those listed in `wrt` are perturbed
 * @param upstream  dL/doutput
 * @param analytic  the reference backward's gradients, one per entry of `wrt`
 */
export function gradcheck(
  f: (inputs: Float64Array[]) => Float64Array,
  inputs: Float64Array[],
  upstream: Float64Array,
  analytic: Float64Array[],
  wrt: number[],
  h = 1e-6,
): GradcheckResult {
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  const objective = (xs: Float64Array[]): number => {
    const y = f(xs);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]! * upstream[i]!;
    return s;
  };
  wrt.forEach((inputIndex, k) => {
    const x = inputs[inputIndex]!;
    const grad = analytic[k]!;
    if (grad.length !== x.length) throw new Error(`gradient ${k} has ${grad.length} values, input has ${x.length}`);
    for (let i = 0; i < x.length; i++) {
      const saved = x[i]!;
      x[i] = saved + h;
      const plus = objective(inputs);
      x[i] = saved - h;
      const minus = objective(inputs);
      x[i] = saved;
      const numeric = (plus - minus) / (2 * h);
      const diff = Math.abs(numeric - grad[i]!);
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      maxRelDiff = Math.max(maxRelDiff, diff / Math.max(1e-3, Math.abs(numeric)));
    }
  });
  return { maxAbsDiff, maxRelDiff };
}
