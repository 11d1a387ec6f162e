// The HTML5 drag-and-drop payloads of the builder: a palette layer (to add) or a stack block (to
// move). Custom MIME types so other drags (text, files) never drop into the stack; only the types
// are readable during dragover, so they also tell the stack which kind of drop is coming.
export const LAYER_MIME = 'application/x-mad-lab-layer';
export const BLOCK_MIME = 'application/x-mad-lab-block';

export type StackDrop = { kind: 'add'; type: string } | { kind: 'move'; from: number };

export function carriesStackDrop(dataTransfer: DataTransfer): boolean {
  const types = Array.from(dataTransfer.types);
  return types.includes(LAYER_MIME) || types.includes(BLOCK_MIME);
}

export function readStackDrop(dataTransfer: DataTransfer): StackDrop | null {
  const type = dataTransfer.getData(LAYER_MIME);
  if (type) return { kind: 'add', type };
  const from = Number.parseInt(dataTransfer.getData(BLOCK_MIME), 10);
  return Number.isInteger(from) ? { kind: 'move', from } : null;
}

/**
 * Where a drop at `clientY` inserts: before the first block whose middle is below the pointer,
 * else at the end. `blockRects` are the blocks' boxes in stack order.
 */
export function insertionIndex(clientY: number, blockRects: readonly Pick<DOMRect, 'top' | 'height'>[]): number {
  const index = blockRects.findIndex((rect) => clientY < rect.top + rect.height / 2);
  return index === -1 ? blockRects.length : index;
}

/** The store's move target for a block dragged from `from` to the gap before `insertAt`. */
export function moveTarget(from: number, insertAt: number): number {
  return insertAt > from ? insertAt - 1 : insertAt;
}
