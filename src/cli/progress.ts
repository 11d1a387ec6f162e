// A one-line progress bar with ETA on stderr for long CLI work. It draws only on a terminal, so
// piped output and logs stay clean; stdout lines are printed between clear() and the next update().

const REDRAW_MS = 100; // at most ~10 redraws per second

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
  ) {}

  /** Records `done` of `total` units; `label` names the current piece of work. */
  update(done: number, label = ''): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS && done < this.total) return;
    this.lastDraw = now;
    const width = (this.stream.columns ?? 80) - 1; // never wrap: a wrapped line cannot be erased with \r
    const line = formatProgress(done, this.total, (now - this.start) / 1000, label);
    this.stream.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  /** Erases the bar so the next stdout line starts on a clean row. */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
    this.lastDraw = -Infinity; // redraw at the next update
  }
}

/** `[#########...........]  45%  ETA 12 s  label`. */
export function formatProgress(done: number, total: number, elapsedSeconds: number, label: string): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const cells = 20;
  const filled = Math.round(fraction * cells);
  const bar = '#'.repeat(filled) + '.'.repeat(cells - filled);
  const eta = done > 0 ? formatDuration((elapsedSeconds * (total - done)) / done) : '?';
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `[${bar}] ${percent}  ETA ${eta}${label ? `  ${label}` : ''}`;
}

/** 4.2 s, 3 m 07 s, 1 h 05 m. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}
