import { describe, expect, it } from 'vitest';
import { pageIdOfFragment } from './useHashRoute.ts';

describe('page routes in the URL fragment', () => {
  it('reads the page id before any page parameters', () => {
    expect(pageIdOfFragment('/runs')).toBe('runs');
    expect(pageIdOfFragment('/builder&mad=v2.eyJhIjoiTSJ9')).toBe('builder');
    expect(pageIdOfFragment('')).toBe('');
  });

  it('sends share links from before routes (a bare mad= fragment) to the builder, which opens them', () => {
    expect(pageIdOfFragment('mad=v1.eyJhIjoibUEtU2ctbUEtU2cifQ')).toBe('builder');
  });
});
