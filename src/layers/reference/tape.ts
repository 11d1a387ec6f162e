// The one f64 reverse-mode tape of the layer references. A Var holds a value and the gradient
// accumulated into it; each op (linear.ts, elementwise.ts, norms.ts, layout.ts, sequence.ts,
// experts.ts) computes its value with the op's own f64 reference (src/engine/ops/<op>/reference.ts)
// and records a step that adds its inputs' gradients from that reference's backward.
// backward() runs the steps newest first, so one sweep gives the gradient of the input and of
// every parameter. Layer tests check the whole tape against finite differences.

export class Var {
  readonly grad: Float64Array;
  constructor(readonly value: Float64Array) {
    this.grad = new Float64Array(value.length);
  }
}

export class Tape {
  private readonly steps: (() => void)[] = [];

  /** An input or parameter: a value whose gradient is read after backward(). */
  leaf(value: Float64Array): Var {
    return new Var(value);
  }

  /**
   * An op's output. `backward` maps dL/d(output) to the gradient of each of `inputs`, in order,
   * which are added into theirs; a null input (an absent bias) takes none.
   */
  op(value: Float64Array, inputs: readonly (Var | null)[], backward: (dy: Float64Array) => readonly ArrayLike<number>[]): Var {
    const out = new Var(value);
    this.steps.push(() => {
      const grads = backward(out.grad);
      inputs.forEach((input, i) => {
        if (input) accumulate(input.grad, grads[i]!);
      });
    });
    return out;
  }

  /** Seeds dL/d(out) = seed and runs every recorded step, newest first. */
  backward(out: Var, seed: Float64Array): void {
    out.grad.set(seed);
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]!();
  }
}

/** A layer's parameters on the tape by key: the label after the layer name, e.g. 'in_proj.weight'. */
export type ParamVars = Readonly<Record<string, Var>>;

function accumulate(into: Float64Array, add: ArrayLike<number>): void {
  for (let i = 0; i < into.length; i++) into[i] += add[i]!;
}
