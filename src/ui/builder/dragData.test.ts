import { describe, expect, it } from 'vitest';
import { insertionIndex, moveTarget } from './dragData.ts';

const rects = [0, 50, 100].map((top) => ({ top, height: 40 }));

describe('stack drop position', () => {
  it('inserts before the first block whose middle lies below the pointer', () => {
    expect(insertionIndex(5, rects)).toBe(0);
    expect(insertionIndex(25, rects)).toBe(1);
    expect(insertionIndex(119, rects)).toBe(2);
    expect(insertionIndex(121, rects)).toBe(3);
    expect(insertionIndex(10, [])).toBe(0);
  });

  it('turns a gap into the index the moved block ends up at', () => {
    expect(moveTarget(0, 3)).toBe(2); // first block dropped after the third
    expect(moveTarget(2, 0)).toBe(0);
    expect(moveTarget(1, 1)).toBe(1); // dropped where it was
    expect(moveTarget(1, 2)).toBe(1);
  });
});
