// Colours of chart lines and radar polygons: the Okabe–Ito palette, distinguishable with common
// colour-vision deficiencies (the same hues as the token roles in styles.css). Written as hex
// values because SVG attributes set by recharts do not resolve CSS variables everywhere.

export const OKABE_ITO = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'] as const;

/** The i-th distinct colour, cycling when there are more series than colours. */
export function seriesColor(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length]!;
}

/** Reference (published) overlays: greys, so they read as background to the lab's own results. */
export const REFERENCE_COLORS = ['#55606b', '#7d8790', '#9aa4af', '#3d454d', '#b4bcc4'] as const;
