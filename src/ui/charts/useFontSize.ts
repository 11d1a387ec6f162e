// The computed font size of an element, in px, kept current as presentation mode or the window
// width (the presentation type scale follows the viewport) changes it. Charts draw in SVG, where
// recharts needs sizes in pixels, so their axes and legends are sized from this.
import { useLayoutEffect, useState, type RefObject } from 'react';
import { usePreferencesStore } from '../../state/preferencesStore.ts';

/** The size used before the element is laid out: the browsers' default type size. */
const DEFAULT_FONT_SIZE_PX = 16;

export function useFontSize(ref: RefObject<HTMLElement | null>): number {
  const presentation = usePreferencesStore((state) => state.presentation);
  const [fontSize, setFontSize] = useState(DEFAULT_FONT_SIZE_PX);
  // A layout effect, so the corrected size is drawn before the first paint and nothing jumps.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setFontSize(parseFloat(getComputedStyle(element).fontSize) || DEFAULT_FONT_SIZE_PX);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [ref, presentation]);
  return fontSize;
}
