// The canonical JSON of a plain value: every object's keys sorted, so equal values give equal text
// whatever their key order. The one key for "the same plan" (checkpoints, stored checkpoints), "the
// same launch" (a double click on Run) and "the same architecture" (the results table's rows).

/** JSON with every object's keys sorted, so equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
