// How many token columns fit the grid's width, rounded down to a multiple of 8 so row starts are
// round positions (0, 32, 64…) and key/value pairs line up in columns; cells then stretch to fill
// the row. Measured before paint (layout effect), so the grid never shows a wrong column count.
import { useLayoutEffect, useState, type RefObject } from 'react';

const COLUMN_MULTIPLE = 8;

/**
 * The grid holds a hidden, unstretched probe of one cell's minimum width ([data-cell-probe]) and
 * fixed-width row labels ([data-row-label]); measuring those, never the stretched cells, keeps the
 * result independent of the column count currently shown.
 */
function columnsThatFit(container: HTMLElement, tokenCount: number): number | null {
  const probe = container.querySelector<HTMLElement>('[data-cell-probe]');
  const rowLabel = container.querySelector<HTMLElement>('[data-row-label]');
  if (!probe || !rowLabel || probe.offsetWidth === 0) return null;
  const gap = parseFloat(getComputedStyle(container).columnGap) || 0;
  const available = container.clientWidth - rowLabel.offsetWidth - gap;
  const fit = Math.floor((available + gap) / (probe.offsetWidth + gap));
  // Not even two cells: a transient layout (Chromium briefly lays the page out a few pixels wide
  // while capturing a full-page screenshot); keep the current choice.
  if (fit < 2) return null;
  const enoughForAll = Math.ceil(tokenCount / COLUMN_MULTIPLE) * COLUMN_MULTIPLE;
  if (fit >= COLUMN_MULTIPLE) return Math.min(fit - (fit % COLUMN_MULTIPLE), enoughForAll);
  return fit - (fit % 2);
}

/** `layoutKey` changes whenever the minimum cell width may change (e.g. more digits per token). */
export function useFittedColumns(
  containerRef: RefObject<HTMLElement | null>,
  tokenCount: number,
  layoutKey: string,
): number {
  const [columns, setColumns] = useState(2 * COLUMN_MULTIPLE);
  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const measure = () => {
      const fitted = columnsThatFit(container, tokenCount);
      if (fitted !== null) setColumns(fitted);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(container);
    return () => observer.disconnect();
  }, [containerRef, tokenCount, layoutKey]);
  return columns;
}
