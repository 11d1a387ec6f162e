// Point labels that do not overlap. A scatter of published models clusters (the paper's Hyena
// family sits within a few pixels), and labels drawn over each other are unreadable, in the page
// and in the exported PNG and SVG alike. Labels are placed greedily in priority order (our runs,
// imported logs, frontier points, then the rest; the drawing order within each): above the point,
// else below it, else not at all. An unlabelled point keeps its tooltip and its row in the table.

export interface LabelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LabelCandidate {
  /** The label's box above its point, in any one coordinate system shared by all candidates. */
  box: LabelBox;
  /** How far below the point the box moves when above does not fit: its height plus the marker. */
  belowShift: number;
  /** Lower is placed first. */
  priority: number;
}

/** Where each label goes, in the candidates' order: 0 above, the belowShift below, or null (left out). */
export function placeLabels(candidates: readonly LabelCandidate[], gap = 1): (number | null)[] {
  const order = candidates.map((_, i) => i).sort((a, b) => candidates[a]!.priority - candidates[b]!.priority || a - b);
  const placed: LabelBox[] = [];
  const shifts: (number | null)[] = candidates.map(() => null);
  const overlaps = (a: LabelBox, b: LabelBox): boolean =>
    a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
  for (const i of order) {
    const { box, belowShift } = candidates[i]!;
    for (const shift of [0, belowShift]) {
      const moved = { ...box, top: box.top + shift };
      if (placed.some((other) => overlaps(moved, other))) continue;
      placed.push(moved);
      shifts[i] = shift;
      break;
    }
  }
  return shifts;
}
