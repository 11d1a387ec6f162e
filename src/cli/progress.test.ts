import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, ProgressBar } from './progress.ts';

describe('formatProgress', () => {
  it('shows the bar, percent and an ETA from the rate so far', () => {
    expect(formatProgress(25, 100, 10, 'CR')).toBe('[#####...............]  25%  ETA 30.0 s  CR');
    expect(formatProgress(0, 100, 1, '')).toBe('[....................]   0%  ETA ?');
    expect(formatProgress(100, 100, 5, '')).toBe('[####################] 100%  ETA 0.0 s');
  });
});

describe('formatDuration', () => {
  it('switches units with size', () => {
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(187)).toBe('3 m 07 s');
    expect(formatDuration(3900)).toBe('1 h 05 m');
  });
});

describe('ProgressBar', () => {
  it('draws only on a terminal and erases itself on clear', () => {
    const written: string[] = [];
    const pipe = new ProgressBar(10, { isTTY: false, write: (t: string) => written.push(t) });
    pipe.update(5);
    pipe.clear();
    expect(written).toEqual([]);

    const tty = new ProgressBar(10, { isTTY: true, columns: 28, write: (t: string) => written.push(t) });
    tty.update(5, 'label'); // cut to the terminal width minus one
    tty.update(6); // throttled
    tty.update(10); // the final state always draws
    tty.clear();
    expect(written).toHaveLength(3);
    expect(written[0]).toBe('\r[##########..........]  50%\x1b[K');
    expect(written[2]).toBe('\r\x1b[K');
  });
});
