// `npm run bench -- profile` on the test GPU at a tiny size: every launch of the step is timed and
// counted once under its kernel, the kernels carry no tensor names, and the table adds up. No
// timing is asserted, only that the figures are consistent.

import { describe, expect, it } from 'vitest';
import { testGpu } from '../src/engine/testing/gpu.ts';
import { kernelName, parseProfileFlags, ProfileUsageError, profileStep, renderProfile } from './profile.ts';

describe('bench profile', () => {
  it('names a kernel by its label up to the first tensor name', () => {
    expect(kernelName('matmul backward dA rmsnorm(add(embedding(embedding.weight)))')).toBe('matmul backward dA');
    expect(kernelName('matmul forward rmsnorm(x)·ᵀlayers.0.swiglu.w1.weight')).toBe('matmul forward');
    expect(kernelName('matmul backward dB layers.0.swiglu.w1.weight')).toBe('matmul backward dB');
    expect(kernelName('rmsnorm forward (rows)')).toBe('rmsnorm forward (rows)');
    expect(kernelName('delta rule backward columns (rows)')).toBe('delta rule backward columns (rows)');
  });

  it('reads its flags and refuses what it cannot use', () => {
    expect(parseProfileFlags(['--layers', 'delta-net', 'swiglu', '--dim', '16', '--batch', '4', '--json'])).toMatchObject({ layers: ['delta-net', 'swiglu'], dim: 16, batch: 4, seqLen: 128, json: true });
    expect(() => parseProfileFlags(['--dim', '0'])).toThrow(new ProfileUsageError("--dim needs a positive integer, got '0'"));
    expect(() => parseProfileFlags(['--layers', '--dim', '8'])).toThrow('--layers needs at least one layer name');
    expect(() => parseProfileFlags(['--fast'])).toThrow('unknown flag for profile: --fast');
    // The product's size limits, before anything is allocated.
    expect(() => parseProfileFlags(['--batch', '100000000'])).toThrow(/^Batch size 100,000,000 is over the limit of [\d,]+ \(.*\): use a smaller batch\.$/);
  });

  it('times every launch of the step once and sums them per kernel', { timeout: 120_000 }, async () => {
    const acquired = await testGpu();
    const gpu = { ...acquired, timestamps: acquired.features.includes('timestamp-query') };
    const flags = parseProfileFlags(['--layers', 'hyena', 'swiglu', '--dim', '16', '--batch', '2', '--seq-len', '8', '--reps', '1']);
    const lines: string[] = [];
    const profile = await profileStep(gpu, flags, (line) => lines.push(line));
    expect(profile.model).toBe('H-Sg');
    expect(profile.launches).toBeGreaterThan(20);
    expect(profile.kernels.reduce((n, k) => n + k.launches, 0)).toBe(profile.launches);
    expect(profile.kernels.reduce((ms, k) => ms + k.ms, 0)).toBeCloseTo(profile.gpuMs, 6);
    expect(profile.kernels.every((k) => k.ms >= 0 && !/[.·]/.test(k.kernel))).toBe(true);
    expect(profile.kernels.map((k) => `${k.phase} ${k.kernel}`)).toEqual(expect.arrayContaining(['forward matmul forward', 'backward matmul backward dB']));
    expect(profile.kernels.map((k) => k.ms)).toEqual([...profile.kernels.map((k) => k.ms)].sort((a, b) => b - a));
    expect(lines.at(-1)).toMatch(/^profile: recording \d+ launches, each in its own timed pass \(1 of 1\)$/);

    const table = renderProfile(profile, 3).split('\n');
    expect(table[0]).toMatch(/^H-Sg on .*: B 2 × T 8, d 16, V 16$/);
    expect(table[1]).toMatch(new RegExp(`^step [\\d.]+ ms \\(wall, awaited alone\\); ${profile.launches} launches, [\\d.]+ ms summed one pass each$`));
    expect(table[3]).toMatch(/^kernel +phase +launches +ms +share +ms\/launch$/);
    expect(table.slice(4)).toHaveLength(4);
    expect(table.at(-1)).toMatch(new RegExp(`^${profile.kernels.length - 3} more kernels +${profile.launches - profile.kernels.slice(0, 3).reduce((n, k) => n + k.launches, 0)} `));
  });
});
