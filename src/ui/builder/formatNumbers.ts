// How the builder writes counts, bytes and FLOPs: grouped digits for exact counts, binary units
// for memory (what GPU limits are given in), SI prefixes for FLOPs.
const GROUPED = new Intl.NumberFormat('en-US');

/** 407184 → "407,184". */
export function formatCount(n: number): string {
  return GROUPED.format(n);
}

/** "state 1,024" (floats per sequence) or, for attention and long convolutions, "state grows with length". */
export function stateText(stateSize: number | null): string {
  return stateSize === null ? 'state grows with length' : `state ${formatCount(stateSize)}`;
}

const BYTE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 757047296 → "722 MiB"; three significant digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toPrecision(3)} ${BYTE_UNITS[unit]}`;
}

const FLOP_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/** 46268940288 → "46.3 GFLOP"; three significant digits. */
export function formatFlops(flops: number): string {
  let value = flops;
  let prefix = 0;
  while (value >= 1000 && prefix < FLOP_PREFIXES.length - 1) {
    value /= 1000;
    prefix++;
  }
  return prefix === 0 ? `${flops} FLOP` : `${value.toPrecision(3)} ${FLOP_PREFIXES[prefix]}FLOP`;
}
