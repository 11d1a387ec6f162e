// What every layer primitive provides: its mad-lab name and shorthand, what it mixes, a builder
// that records it into a graph, and its recurrent state size. Parameter counts are not written
// down separately: they come from tracing the builder (counting.ts), so the count the builder
// shows is the count the engine trains.

import type { Graph } from '../engine/graph.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { ParamFactory } from '../engine/params.ts';

export type LayerKind = 'sequence-mixer' | 'channel-mixer';

/** A layer's config: configs/layers/<name>.yml merged with user overrides, as plain data. */
export type LayerConfig = Readonly<Record<string, unknown>>;

export interface LayerContext {
  g: Graph;
  params: ParamFactory;
  /** Model width d (128 in MAD). */
  dim: number;
  /** mad-lab's max_length: the task's sequence length in the benchmark. */
  maxLength: number;
  /** Parameter name prefix, e.g. 'layers.0'. */
  name: string;
}

export interface LayerDefinition {
  /** mad-lab registry name, e.g. 'mh-attention'. */
  name: string;
  /** mad-lab log shorthand, e.g. 'mA'. */
  shorthand: string;
  kind: LayerKind;
  /** One line for the palette. */
  description: string;
  /** Throws a ConfigError (configValues.ts) carrying the key for an invalid config (unknown key, wrong type, bad value). */
  validate(config: LayerConfig): void;
  /** x: [B, T, dim] → [B, T, dim]. */
  build(ctx: LayerContext, x: Tensor, config: LayerConfig): Tensor;
  /** Recurrent state per sequence (floats), or null when it grows with length (attention, long convolution). */
  stateSize(config: LayerConfig, dim: number): number | null;
}
