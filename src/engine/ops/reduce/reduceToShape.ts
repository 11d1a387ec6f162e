// Records the deterministic strided reduction of shaders/reduce/reduce_{forward,product}.wgsl: sums a
// tensor down to a shape it was broadcast from (optionally multiplying each term by a third,
// broadcast operand), in one dispatch when each lane has few enough terms, otherwise in stages
// (per-chunk partial sums, then a sum of the partials) so that a long reduction such as
// [B·T, D] → [D] still spreads over many workgroups. Order of summation is fixed: no atomics.

import { bind, type Graph } from '../../graph.ts';
import { grid1d } from '../../launch.ts';
import { shaderSource } from '../../shaderSource.ts';
import type { Tensor } from '../../tensor.ts';
import { packUniform, type ScalarType } from '../../uniform.ts';
import { broadcastStrides, contiguousStrides, mergeDims, nextPow2, padDims, type MergedDims } from './broadcast.ts';

export const REDUCE_SHADER = 'reduce/reduce_forward.wgsl';
export const REDUCE_PRODUCT_SHADER = 'reduce/reduce_product.wgsl';
const WG = 256;
/** Terms each lane adds before a chunk ends; more terms than ROWS·this start a second stage. */
const TERMS_PER_LANE = 32;
const MAX_CHUNKS = 4096;

export interface ReduceToShapeArgs {
  /** The broadcast-shaped tensor to sum (e.g. an output gradient). */
  src: Tensor;
  /** Receives the sum; its shape broadcasts to src's (e.g. a [D] bias gradient of [B, T, D]). */
  dst: Tensor;
  /** Multiplies each term (mul's backward: db = Σ dy · a); its shape broadcasts to src's. */
  other?: Tensor;
  scale?: number;
  /** Add into dst (gradients) instead of overwriting it. */
  accumulate: boolean;
  label: string;
}

interface StageLayout {
  kept: MergedDims; // strides: [src, other]
  red: MergedDims;
  innerReduced: boolean;
}

/** The launch shape for K outputs of R terms each. */
export function reduceLaunchShape(
  k: number,
  r: number,
  innerReduced: boolean,
): { cols: number; rows: number; rChunk: number; chunks: number } {
  let rows: number;
  if (r <= 1) rows = 1;
  else if (innerReduced) rows = Math.min(WG, nextPow2(r));
  else rows = WG / Math.min(64, nextPow2(k));
  rows = Math.max(1, Math.min(rows, WG));
  const cols = WG / rows;
  let rChunk = rows * TERMS_PER_LANE;
  // Chunks are the grid's z dimension (≤ 65,535): very long reductions take longer chunks.
  if (Math.ceil(r / rChunk) > MAX_CHUNKS) rChunk = Math.ceil(r / MAX_CHUNKS / rows) * rows;
  const chunks = Math.max(1, Math.ceil(r / rChunk));
  return { cols, rows, rChunk: chunks === 1 ? Math.max(r, 1) : rChunk, chunks };
}

function layoutFor(src: Tensor, dstShape: readonly number[], other: Tensor | undefined): StageLayout {
  const shape = src.shape;
  const srcStrides = contiguousStrides(shape);
  const otherStrides = other ? broadcastStrides(other.shape, shape) : shape.map(() => 0);
  const dstStrides = broadcastStrides(dstShape, shape); // validates that dst broadcasts to src
  const keptSizes: number[] = [];
  const keptStrides: [number[], number[]] = [[], []];
  const redSizes: number[] = [];
  const redStrides: [number[], number[]] = [[], []];
  let innerReduced = false;
  shape.forEach((size, i) => {
    if (size === 1) return;
    const kept = dstStrides[i] !== 0;
    const [sizes, strides] = kept ? [keptSizes, keptStrides] : [redSizes, redStrides];
    sizes.push(size);
    strides[0].push(srcStrides[i]!);
    strides[1].push(otherStrides[i]!);
    innerReduced = !kept;
  });
  return { kept: mergeDims(keptSizes, keptStrides), red: mergeDims(redSizes, redStrides), innerReduced };
}

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

function recordStage(
  g: Graph,
  label: string,
  src: Tensor,
  other: Tensor | undefined,
  dst: Tensor,
  layout: StageLayout,
  scale: number,
  accumulate: boolean,
  shape: ReturnType<typeof reduceLaunchShape>,
): void {
  const k = product(layout.kept.sizes);
  const r = product(layout.red.sizes);
  const u = (values: readonly number[], what: string): [ScalarType, number][] =>
    padDims(values, `${label} ${what}`).map((v) => ['u32', v] as [ScalarType, number]);
  const params = packUniform([
    ['u32', k],
    ['u32', r],
    ['u32', shape.rChunk],
    ['u32', layout.kept.sizes.length],
    ['u32', layout.red.sizes.length],
    ['f32', scale],
    ['u32', accumulate ? 1 : 0],
    ['u32', 0],
    ...u(layout.kept.sizes, 'kept axes'),
    ...u(layout.kept.strides[0]!, 'kept axes'),
    ...u(layout.kept.strides[1]!, 'kept axes'),
    ...u(layout.red.sizes, 'reduced axes'),
    ...u(layout.red.strides[0]!, 'reduced axes'),
    ...u(layout.red.strides[1]!, 'reduced axes'),
  ]);
  const [x, y] = grid1d(k / shape.cols);
  g.launch({
    label,
    source: shaderSource(other ? REDUCE_PRODUCT_SHADER : REDUCE_SHADER),
    entryPoint: 'main',
    constants: { WG, COLS: shape.cols, ROWS: shape.rows, LANES_INNER: layout.innerReduced ? 1 : 0 },
    // `other` only when there is one: a placeholder would alias another binding, which
    // WebGPU rejects for writable storage (and every storage binding here is read_write).
    bindings: [bind(src), bind(dst), { kind: 'uniform', data: params }, ...(other ? [bind(other)] : [])],
    workgroups: [x, y, shape.chunks],
  });
}

/** Records dst (=|+=) scale · Σ over the broadcast axes of src (· other). */
export function recordReduceToShape(g: Graph, args: ReduceToShapeArgs): void {
  const { src, dst, other, scale = 1, accumulate, label } = args;
  let layout = layoutFor(src, dst.shape, other);
  let stageSrc = src;
  let stageOther = other;
  let stageScale = scale;
  const k = dst.size;
  for (let stage = 0; ; stage++) {
    const r = product(layout.red.sizes);
    const shape = reduceLaunchShape(k, r, layout.innerReduced);
    if (shape.chunks === 1) {
      recordStage(g, `${label}`, stageSrc, stageOther, dst, layout, stageScale, accumulate, shape);
      return;
    }
    const partials = g.tensor([shape.chunks, k], 'f32', `${label} partials ${stage}`);
    recordStage(g, `${label} (stage ${stage + 1})`, stageSrc, stageOther, partials, layout, stageScale, false, shape);
    // Next stage: the [chunks, K] partials summed over their first axis.
    stageSrc = partials;
    stageOther = undefined;
    stageScale = 1;
    layout = {
      kept: { sizes: [k], strides: [[1], [0]] },
      red: { sizes: [shape.chunks], strides: [[k], [0]] },
      innerReduced: false,
    };
  }
}
