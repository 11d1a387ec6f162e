// Creates a model's parameters in the graph with their initial values. One factory per model
// build, drawing from one seeded Prng in creation order, so a seed reproduces every weight.

import type { Graph } from '../engine/graph.ts';
import type { Tensor } from '../engine/tensor.ts';
import { Prng } from '../tasks/prng.ts';
import { PAPER_INIT_STD, constant, normal } from './init.ts';

export class ParamFactory {
  private readonly rng: Prng;

  constructor(
    readonly g: Graph,
    seed: number,
  ) {
    this.rng = new Prng(seed, 1); // stream 1: independent of the data stream with the same seed
  }

  /** A Linear weight [out, in] (PyTorch's layout), N(0, 0.02) as the paper's init. */
  linearWeight(out: number, inDim: number, label: string): Tensor {
    return this.g.param([out, inDim], normal(this.rng, out * inDim, PAPER_INIT_STD), label);
  }

  /** Embedding table [vocab, dim], N(0, 0.02). */
  embedding(vocab: number, dim: number, label: string): Tensor {
    return this.g.param([vocab, dim], normal(this.rng, vocab * dim, PAPER_INIT_STD), label);
  }

  zeros(shape: readonly number[], label: string): Tensor {
    return this.g.param(shape, constant(size(shape), 0), label);
  }

  ones(shape: readonly number[], label: string): Tensor {
    return this.g.param(shape, constant(size(shape), 1), label);
  }
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
