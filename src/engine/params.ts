// Creates a model's parameters in the graph with their initial values. One factory per model
// build, drawing from one seeded Prng in creation order, so a seed reproduces every weight.
//
// Two schemes (docs/protocol.md §5.3): 'paper' (default; what the paper's code did) sets every Linear
// weight to N(0, 0.02) and every Linear bias to 0, Mamba's dt bias included; 'current'
// (mad-lab since Dec 2024) keeps each Linear weight's own init (PyTorch's U(±1/√fan_in) unless
// the layer says otherwise) and zeroes biases except those flagged "no re-init". Raw parameters
// (conv weights, A_log, D, RWKV time parameters…) are never overridden.
//
// A planning factory (ParamFactory.planning) creates the same parameters without drawing or
// storing any value, for counts and memory plans: tracing a model with a 131,072-token vocabulary
// at d = 2,048 then costs no weight memory, and the graph it fills can never be compiled.

import type { Graph } from './graph.ts';
import type { Tensor } from './tensor.ts';
import { Prng } from '../tasks/prng.ts';
import { PAPER_INIT_STD, constant, normal, uniform } from './init.ts';

export type InitScheme = 'paper' | 'current';

/** Draws a parameter's own initial values (used where the scheme keeps the layer's init). */
export type InitFn = (rng: Prng, size: number) => Float32Array;

export class ParamFactory {
  /** The seeded stream values are drawn from; null for a planning factory, which draws nothing. */
  private rng: Prng | null;

  constructor(
    readonly g: Graph,
    seed: number,
    readonly scheme: InitScheme = 'paper',
    rng?: Prng,
  ) {
    this.rng = rng ?? new Prng(seed, 1); // stream 1: independent of the data stream with the same seed
  }

  /** Creates parameters of the right shapes without values: for counts and memory plans only. */
  static planning(g: Graph, scheme: InitScheme = 'paper'): ParamFactory {
    const factory = new ParamFactory(g, 0, scheme);
    factory.rng = null;
    return factory;
  }

  /**
   * The same graph and random stream under another scheme (the AutoEncoder's init is fixed to
   * the 'paper' scheme, docs/protocol.md §5.2): draws continue from this factory's stream, so a seed still
   * reproduces every weight. A planning factory stays one.
   */
  withScheme(scheme: InitScheme): ParamFactory {
    if (scheme === this.scheme) return this;
    return this.rng === null ? ParamFactory.planning(this.g, scheme) : new ParamFactory(this.g, 0, scheme, this.rng);
  }

  /**
   * A Linear weight [out, in] (PyTorch's layout). 'paper': N(0, 0.02). 'current': `ownInit`,
   * or PyTorch's default U(±1/√in) when the layer has none.
   */
  linearWeight(out: number, inDim: number, label: string, ownInit?: InitFn): Tensor {
    const values = this.draw(out * inDim, (rng, n) =>
      this.scheme === 'paper' ? normal(rng, n, PAPER_INIT_STD) : (ownInit ?? ((r, size) => uniform(r, size, 1 / Math.sqrt(inDim))))(rng, n),
    );
    return this.g.param([out, inDim], values, label);
  }

  /** A Linear bias [n]: 0, except under 'current' for biases flagged "no re-init" (Mamba's dt bias). */
  linearBias(n: number, label: string, noReinit?: InitFn): Tensor {
    const values = this.draw(n, (rng) => (this.scheme === 'current' && noReinit ? noReinit(rng, n) : constant(n, 0)));
    return this.g.param([n], values, label);
  }

  /** Embedding table [vocab, dim], N(0, 0.02) in both schemes. */
  embedding(vocab: number, dim: number, label: string): Tensor {
    return this.g.param([vocab, dim], this.draw(vocab * dim, (rng, n) => normal(rng, n, PAPER_INIT_STD)), label);
  }

  /** A parameter that no scheme overrides (conv weights, A_log, D, time-mix vectors…). */
  raw(shape: readonly number[], label: string, init: InitFn): Tensor {
    return this.g.param(shape, this.draw(size(shape), init), label);
  }

  zeros(shape: readonly number[], label: string): Tensor {
    return this.g.param(shape, this.draw(size(shape), (_rng, n) => constant(n, 0)), label);
  }

  ones(shape: readonly number[], label: string): Tensor {
    return this.g.param(shape, this.draw(size(shape), (_rng, n) => constant(n, 1)), label);
  }

  /** `n` values from `init` on this factory's stream, or none when planning. */
  private draw(n: number, init: InitFn): Float32Array | null {
    return this.rng === null ? null : init(this.rng, n);
  }
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
