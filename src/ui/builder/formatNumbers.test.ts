import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatFlops } from './formatNumbers.ts';

describe('builder number formats', () => {
  it('groups exact counts', () => {
    expect(formatCount(407_184)).toBe('407,184');
    expect(formatCount(0)).toBe('0');
  });

  it('writes memory in binary units with three significant digits', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(4_267_008)).toBe('4.07 MiB');
    expect(formatBytes(757_047_296)).toBe('722 MiB');
    expect(formatBytes(8_140_834_048)).toBe('7.58 GiB');
  });

  it('writes FLOPs with SI prefixes', () => {
    expect(formatFlops(950)).toBe('950 FLOP');
    expect(formatFlops(46_268_940_288)).toBe('46.3 GFLOP');
    expect(formatFlops(5e17)).toBe('500 PFLOP');
  });
});
