// Parameter counts by tracing: a layer is built into a throwaway graph (planning only, nothing
// touches a GPU, no initial value is drawn) and its parameters are summed, so counts can never
// drift from what trains.

import { Graph } from '../engine/graph.ts';
import { ParamFactory } from '../engine/params.ts';
import type { LayerConfig, LayerDefinition } from './types.ts';

export function countLayerParameters(definition: LayerDefinition, config: LayerConfig, dim: number, maxLength: number): number {
  // Parameters are the same whichever kernels the ops record, so any target counts them.
  const g = new Graph('cpu');
  const params = ParamFactory.planning(g);
  const x = g.input([1, maxLength, dim], 'f32', 'x');
  definition.build({ g, params, dim, maxLength, name: definition.name }, x, config);
  return g.params.reduce((n, p) => n + p.size, 0);
}
