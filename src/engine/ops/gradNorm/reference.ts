// CPU f64 reference of the global gradient norm: √(Σ over every parameter gradient of g²).

export function gradNormReference(grads: readonly ArrayLike<number>[]): number {
  let sum = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  return Math.sqrt(sum);
}
