import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelCandidate } from './labelPlacement.ts';

const label = (left: number, top: number, priority = 3, width = 40): LabelCandidate => ({ box: { left, top, width, height: 10 }, belowShift: 22, priority });

describe('placeLabels', () => {
  it('keeps every label above its point when none overlap', () => {
    expect(placeLabels([label(0, 0), label(50, 0), label(0, 30)])).toEqual([0, 0, 0]);
  });

  it('moves a label below its point when above is taken, and leaves it out when both are', () => {
    // The second overlaps the first above; below (top 22) is free. The third overlaps both spots.
    expect(placeLabels([label(0, 0), label(10, 2), label(5, 0, 3, 60), label(5, 8, 3)])).toEqual([0, 22, null, null]);
  });

  it('places higher priorities first, whatever the drawing order', () => {
    // Our run (priority 0) is drawn last but keeps the spot above; the published point moves below.
    expect(placeLabels([label(0, 0, 3), label(5, 0, 0)])).toEqual([22, 0]);
  });
});
