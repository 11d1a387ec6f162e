// The Graph is both the tracer and the autograd tape. Ops called on it plan their output
// tensors and record their launches; each op application that involves a trainable tensor
// leaves a tape node whose backward records the gradient launches. Nothing touches the GPU
// until compileGraph() turns the whole recording into buffers, pipelines and bind groups.
// A graph is traced for one kernel target (the device's, EngineGpu.target): every op that has a
// GPU and a CPU-adapter kernel family reads g.target, so the same model traced twice for the same
// target records the same launches, whatever was traced before.

import type { KernelTarget } from '../config/kernelTarget.ts';
import type { Binding, Launch, Phase } from './launch.ts';
import { BYTES_PER_ELEMENT, Tensor, type DType, type Pool } from './tensor.ts';

/** Offsets inside pools are kept at this alignment so every tensor can be bound directly. */
export const TENSOR_ALIGNMENT = 256;
/** Activation labels longer than this are cut (see Graph.tensor). */
export const MAX_ACTIVATION_LABEL = 80;

export interface TapeNode {
  op: string;
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  /**
   * Records launches that ADD each input's gradient into gradInputs[i] (null when that input
   * needs none). Accumulation lets a tensor that feeds several ops collect every contribution.
   */
  backward(gradOutputs: readonly Tensor[], gradInputs: readonly (Tensor | null)[]): void;
}

/** Initial contents written when the graph is compiled. */
export type InitialData = Float32Array | Int32Array | Uint32Array;

export class Graph {
  readonly launches: Launch[] = [];
  readonly tape: TapeNode[] = [];
  readonly params: Tensor[] = [];
  private readonly values = new Map<Tensor, InitialData>();
  /** Parameters planned without values (see param): such a graph is for sizes only. */
  private valuelessParams = 0;
  private readonly poolBytes: Record<Pool, number> = {
    param: 0,
    paramGrad: 0,
    activation: 0,
    grad: 0,
    optimizer: 0,
    metric: 0,
  };
  private readonly frozenPools = new Set<Pool>();
  private readonly trainable = new Set<Tensor>();
  private readonly grads = new Map<Tensor, Tensor>();
  /** Reshaped views and the tensor whose memory they share. */
  private readonly viewBase = new Map<Tensor, Tensor>();
  private nextId = 0;
  /** Launches recorded now go into this phase; set it around a block with inPhase. */
  phase: Phase = 'forward';

  /** `target`: the kernel family the ops record (the device's EngineGpu.target; any, for planning only). */
  constructor(readonly target: KernelTarget) {}

  /**
   * Initial contents of tensors, written when the graph is compiled. A graph whose parameters were
   * planned without values has none to give: reading them is refused, so it can never compile.
   */
  get initialData(): Map<Tensor, InitialData> {
    if (this.valuelessParams > 0) {
      throw new Error(`this graph was traced for planning only (${this.valuelessParams} parameters have no initial values): build the model again to run it`);
    }
    return this.values;
  }

  /** Bytes planned in each pool so far. */
  get plannedBytes(): Readonly<Record<Pool, number>> {
    return this.poolBytes;
  }

  private plan(shape: readonly number[], dtype: DType, pool: Pool, label: string): Tensor {
    if (this.frozenPools.has(pool)) {
      throw new Error(`${label}: the ${pool} pool is already covered by a whole-pool view (create parameters before the optimizer)`);
    }
    for (const d of shape) {
      if (!Number.isInteger(d) || d <= 0) throw new Error(`${label}: bad shape [${shape.join(', ')}]`);
    }
    const offset = this.poolBytes[pool];
    const t = new Tensor(this.nextId++, shape, dtype, pool, offset, label);
    this.poolBytes[pool] = align(offset + t.bytes, TENSOR_ALIGNMENT);
    return t;
  }

  /** A tensor that an op writes (forward results and scratch). */
  tensor(shape: readonly number[], dtype: DType, label: string): Tensor {
    // Ops name outputs after their inputs (`add(x, f(x))`), which would double the label per
    // residual layer (2^depth characters in every label, launch and pipeline name): cut it.
    const short = label.length <= MAX_ACTIVATION_LABEL ? label : `${label.slice(0, MAX_ACTIVATION_LABEL - 8)}…#${this.nextId}`;
    return this.plan(shape, dtype, 'activation', short);
  }

  /** A tensor whose contents the caller writes before running (token ids, targets…). */
  input(shape: readonly number[], dtype: DType, label: string, initial?: InitialData): Tensor {
    const t = this.plan(shape, dtype, 'activation', label);
    if (initial) this.setInitial(t, initial);
    return t;
  }

  /** A counter or accumulator that persists across steps (never cleared by the step). */
  metric(shape: readonly number[], dtype: DType, label: string): Tensor {
    return this.plan(shape, dtype, 'metric', label);
  }

  /** Persistent optimizer state (e.g. AdamW's moments), zero at compile time. */
  optimizerState(shape: readonly number[], label: string): Tensor {
    return this.plan(shape, 'f32', 'optimizer', label);
  }

  /**
   * One f32 tensor spanning everything planned in `pool`, for kernels that sweep all parameters
   * or gradients at once (AdamW, the gradient norm). The pool is frozen from here on, so the
   * view can never miss a parameter created later.
   */
  poolView(pool: 'param' | 'paramGrad'): Tensor {
    const bytes = this.poolBytes[pool];
    if (bytes === 0) throw new Error(`the ${pool} pool is empty: create the parameters before the optimizer`);
    this.frozenPools.add('param');
    this.frozenPools.add('paramGrad');
    return new Tensor(this.nextId++, [bytes / BYTES_PER_ELEMENT], 'f32', pool, 0, `${pool}(all)`);
  }

  /**
   * A trainable f32 parameter; its gradient sits at the same offset of the paramGrad pool.
   * `initial` null plans it without values, for counting and memory plans that never run.
   */
  param(shape: readonly number[], initial: Float32Array | null, label: string): Tensor {
    const t = this.plan(shape, 'f32', 'param', label);
    if (initial === null) this.valuelessParams++;
    else this.setInitial(t, initial);
    this.params.push(t);
    this.trainable.add(t);
    const grad = new Tensor(this.nextId++, shape, 'f32', 'paramGrad', t.offset, `grad(${label})`);
    this.poolBytes.paramGrad = this.poolBytes.param;
    this.grads.set(t, grad);
    return t;
  }

  private setInitial(t: Tensor, data: InitialData): void {
    if (data.length !== t.size) {
      throw new Error(`${t.label}: initial data has ${data.length} values, tensor has ${t.size}`);
    }
    this.values.set(t, data);
  }

  requiresGrad(t: Tensor): boolean {
    return this.trainable.has(t);
  }

  /** Marks t as needing a gradient (for tests that differentiate with respect to an input). */
  markTrainable(t: Tensor): void {
    this.trainable.add(t);
  }

  /** Records one dispatch into the current phase. */
  launch(l: Omit<Launch, 'phase'>): void {
    this.launches.push({ ...l, phase: this.phase });
  }

  /**
   * Applies an op: `record` plans outputs and records the forward launches; if any input is
   * trainable the outputs become trainable too and a tape node keeps the backward.
   */
  apply(
    op: string,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    backward: TapeNode['backward'],
  ): void {
    if (inputs.some((t) => this.trainable.has(t))) {
      for (const o of outputs) this.trainable.add(o);
      this.tape.push({ op, inputs, outputs, backward });
    }
  }

  /**
   * The same memory with another shape (row-major, so a free reshape). Its gradient is the same
   * view of the base's gradient, so ops on the view accumulate into the base's gradient.
   */
  view(t: Tensor, shape: readonly number[]): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== t.size) throw new Error(`view: ${t} has ${t.size} elements, [${shape.join(', ')}] has ${size}`);
    const base = this.viewBase.get(t) ?? t;
    const v = new Tensor(this.nextId++, shape, t.dtype, t.pool, t.offset, t.label);
    this.viewBase.set(v, base);
    if (this.trainable.has(t)) this.trainable.add(v);
    return v;
  }

  /** The gradient tensor of t, planned on first use (zeroed at the start of every backward). */
  gradOf(t: Tensor): Tensor {
    const base = this.viewBase.get(t);
    if (base) {
      const baseGrad = this.gradOf(base);
      return new Tensor(this.nextId++, t.shape, 'f32', baseGrad.pool, baseGrad.offset, `grad(${t.label})`);
    }
    let g = this.grads.get(t);
    if (!g) {
      g = this.plan(t.shape, 'f32', 'grad', `grad(${t.label})`);
      this.grads.set(t, g);
    }
    return g;
  }

  /**
   * Records the backward pass from `output`: its gradient is `seed` (default: 1 for a scalar
   * loss), then every tape node, newest first, adds its inputs' gradients.
   */
  backward(output: Tensor, seed?: Tensor): void {
    if (!this.trainable.has(output)) throw new Error(`${output.label} does not depend on anything trainable`);
    if (!seed && output.size !== 1) throw new Error(`backward without a seed needs a scalar loss, got ${output}`);
    const grad = seed ?? this.input([1], 'f32', 'dloss', new Float32Array([1]));
    if (grad.size !== output.size) throw new Error(`seed ${grad} does not match ${output}`);
    // A view's gradient is read through its base, so the seed goes there.
    const root = this.viewBase.get(output) ?? output;
    this.grads.set(root, new Tensor(this.nextId++, root.shape, 'f32', grad.pool, grad.offset, grad.label));
    this.inPhase('backward', () => {
      for (let i = this.tape.length - 1; i >= 0; i--) {
        const node = this.tape[i]!;
        const gradOutputs = node.outputs.map((o) => this.gradOf(o));
        const gradInputs = node.inputs.map((x) => (this.trainable.has(x) ? this.gradOf(x) : null));
        node.backward(gradOutputs, gradInputs);
      }
    });
  }

  /** Records `block`'s launches into `phase`, then restores the phase it found (also when `block` throws). */
  inPhase<T>(phase: Phase, block: () => T): T {
    const previous = this.phase;
    this.phase = phase;
    try {
      return block();
    } finally {
      this.phase = previous;
    }
  }
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Convenience for ops: a tensor binding. */
export function bind(tensor: Tensor): Binding {
  return { kind: 'tensor', tensor };
}

export { BYTES_PER_ELEMENT };
