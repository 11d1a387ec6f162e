// The stack's button icons as inline SVG: system fonts lack some symbol glyphs (⧉ renders as a box
// in many), and SVG scales crisply on a projector. Decorative: the buttons carry their own labels.
export type BlockIconName = 'up' | 'down' | 'duplicate' | 'remove';

const PATHS: Record<BlockIconName, string> = {
  up: 'M8 13V3M3.5 7.5 8 3l4.5 4.5',
  down: 'M8 3v10M3.5 8.5 8 13l4.5-4.5',
  duplicate: 'M5.5 5.5h7v7h-7zM3.5 10.5v-7h7',
  remove: 'M4 4l8 8M12 4l-8 8',
};

export function BlockIcon({ name }: { name: BlockIconName }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
