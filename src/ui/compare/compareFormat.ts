// Numbers on the Compare page's axes, tooltips and tables: counts in thousands, millions and
// billions (12.3K, 4.56M, 7.8G), small values as they are.

/** A count shortened with K, M, G or T, three significant digits. */
export function formatCount(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${unit}`;
  }
  return Number(value.toPrecision(3)).toString();
}

/**
 * A log axis's domain and ticks around [min, max] (both > 0): ticks at 1, 2 and 5 × 10^k, or only at
 * powers of ten when those would be more than eight, so the ticks read in order and evenly.
 */
export function logAxis(min: number, max: number): { domain: [number, number]; ticks: number[] } {
  const steps = [1, 2, 5];
  const candidates: number[] = [];
  for (let k = Math.floor(Math.log10(min)) - 1; k <= Math.ceil(Math.log10(max)) + 1; k++) for (const s of steps) candidates.push(s * 10 ** k);
  const low = Math.max(...candidates.filter((c) => c <= min));
  const high = Math.min(...candidates.filter((c) => c >= max));
  let ticks = candidates.filter((c) => c >= low && c <= high);
  if (ticks.length > 8) ticks = ticks.filter((c) => Number.isInteger(Math.log10(c)) || c === low || c === high);
  return { domain: [low, high], ticks };
}
