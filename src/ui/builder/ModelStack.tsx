// The model being built: a drop target for palette blocks, a list of blocks to reorder by drag or
// by keyboard (an accessible sortable list: Space picks a block up, arrows move it, Space drops,
// Escape cancels; Alt+arrows move at once), to duplicate and remove. Every change is announced.
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { layerDefinition } from '../../layers/registry.ts';
import { modelId } from '../../model/architecture.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';
import type { ModelFigures } from './builderCounts.ts';
import { BLOCK_MIME, carriesStackDrop, insertionIndex, moveTarget, readStackDrop } from './dragData.ts';
import { formatCount } from './formatNumbers.ts';
import { StackBlock } from './StackBlock.tsx';

interface ModelStackProps {
  figures: ModelFigures;
}

/** A block picked up with Space: where it was, and the index it will land at when dropped. */
interface Grab {
  from: number;
  to: number;
}

/** The gap (0…n) a block moving from `from` to index `to` is drawn into, in the current order. */
function gapOf(from: number, to: number): number {
  return to > from ? to + 1 : to;
}

export function ModelStack({ figures }: ModelStackProps) {
  const spec = useBuilderStore((state) => state.spec);
  const selected = useBuilderStore((state) => state.selected);
  const { add, move, remove, duplicate, select } = useBuilderStore.getState();
  const announce = useAnnounce();
  const [grab, setGrab] = useState<Grab | null>(null);
  const [dropGap, setDropGap] = useState<number | null>(null);
  /** Why the last drop or duplicate was refused, shown under the stack (mouse users miss the announcement). */
  const [refusal, setRefusal] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const layers = spec.layers;
  const count = layers.length;
  const activeIndex = selected ?? 0;

  // Focus follows the block the user acted on, after the store's change has rendered.
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const blocks = listRef.current?.querySelectorAll<HTMLElement>('[data-block-index]');
    blocks?.[Math.min(pendingFocus.current, blocks.length - 1)]?.focus();
    pendingFocus.current = null;
  });

  const nameAt = (index: number) => layers[index]?.type ?? '';
  const position = (index: number, total = count) => `position ${index + 1} of ${total}`;

  function moveBlock(from: number, to: number) {
    if (to < 0 || to >= count || to === from) return;
    move(from, to);
    pendingFocus.current = to;
    select(to);
    announce(`${nameAt(from)} moved to ${position(to)}.`);
  }

  function removeBlock(index: number) {
    const name = nameAt(index);
    remove(index);
    pendingFocus.current = count > 1 ? Math.min(index, count - 2) : null;
    announce(`${name} removed; the model has ${count - 1} block${count - 1 === 1 ? '' : 's'}.`);
  }

  function duplicateBlock(index: number) {
    const result = duplicate(index);
    if (result.ok) {
      pendingFocus.current = index + 1;
      setRefusal(null);
      announce(`${nameAt(index)} duplicated as block ${index + 2} of ${count + 1}.`);
    } else {
      setRefusal(`Cannot duplicate ${nameAt(index)}: ${result.reason}`);
      announce(`Cannot duplicate: ${result.reason}`);
    }
  }

  function focusBlock(index: number) {
    if (index < 0 || index >= count) return;
    pendingFocus.current = index;
    select(index);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number) {
    if (event.target !== event.currentTarget) return; // keys on the block's own buttons
    const { key } = event;
    if (grab) {
      if (key === 'ArrowUp' || key === 'ArrowDown') {
        const to = Math.max(0, Math.min(count - 1, grab.to + (key === 'ArrowUp' ? -1 : 1)));
        setGrab({ ...grab, to });
        announce(`${nameAt(grab.from)}: ${position(to)}.`);
      } else if (key === ' ' || key === 'Enter') {
        setGrab(null);
        if (grab.to === grab.from) announce(`${nameAt(grab.from)} dropped where it was, at ${position(grab.from)}.`);
        else moveBlock(grab.from, grab.to);
      } else if (key === 'Escape') {
        setGrab(null);
        announce(`Move cancelled; ${nameAt(grab.from)} stays at ${position(grab.from)}.`);
      } else return;
      event.preventDefault();
      return;
    }
    if (event.altKey && (key === 'ArrowUp' || key === 'ArrowDown')) moveBlock(index, index + (key === 'ArrowUp' ? -1 : 1));
    else if (key === 'ArrowUp' || key === 'ArrowDown') focusBlock(index + (key === 'ArrowUp' ? -1 : 1));
    else if (key === 'Home') focusBlock(0);
    else if (key === 'End') focusBlock(count - 1);
    else if (key === ' ') {
      setGrab({ from: index, to: index });
      select(index);
      announce(`Picked up ${nameAt(index)} at ${position(index)}. Arrow keys move it, Space drops it, Escape cancels.`);
    } else if (key === 'Enter') select(index);
    else if (key === 'Delete' || key === 'Backspace') removeBlock(index);
    else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === 'd') duplicateBlock(index);
    else return;
    event.preventDefault();
  }

  function cancelGrabOnBlur() {
    if (!grab) return;
    setGrab(null);
    announce(`Move cancelled; ${nameAt(grab.from)} stays at ${position(grab.from)}.`);
  }

  function handleDragOver(event: DragEvent<HTMLDivElement>) {
    if (!carriesStackDrop(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = event.dataTransfer.types.includes(BLOCK_MIME) ? 'move' : 'copy';
    const rects = Array.from(listRef.current?.querySelectorAll('[data-block-index]') ?? [], (el) => el.getBoundingClientRect());
    setDropGap(insertionIndex(event.clientY, rects));
  }

  function handleDragLeave(event: DragEvent<HTMLDivElement>) {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropGap(null);
  }

  function handleDrop(event: DragEvent<HTMLDivElement>) {
    const drop = readStackDrop(event.dataTransfer);
    const rects = Array.from(listRef.current?.querySelectorAll('[data-block-index]') ?? [], (el) => el.getBoundingClientRect());
    const gap = insertionIndex(event.clientY, rects);
    setDropGap(null);
    if (!drop) return;
    event.preventDefault();
    if (drop.kind === 'add') {
      const result = add(drop.type, gap);
      setRefusal(result.ok ? null : `Cannot add ${drop.type}: ${result.reason}`);
      announce(result.ok ? `Added ${drop.type} at ${position(gap, count + 1)}.` : `Cannot add ${drop.type}: ${result.reason}`);
    } else {
      moveBlock(drop.from, moveTarget(drop.from, gap));
    }
  }

  const markedGap = grab ? gapOf(grab.from, grab.to) : dropGap;
  const embedding = figures.ok ? `${formatCount(figures.count.embedding)} params` : '';
  const head = figures.ok ? `${formatCount(figures.count.head)} params` : '';

  return (
    <section className="builder-panel model-stack" aria-labelledby="stack-title">
      <h2 id="stack-title" className="panel-title">
        Model <code className="model-id" data-testid="model-id">{count > 0 ? modelId(spec) : 'empty'}</code>
      </h2>
      <p id="stack-help" className="panel-hint">
        Drag blocks to reorder. Keyboard: arrows choose a block, Space picks it up and drops it, Alt+↑/↓ moves it, Delete removes,
        Ctrl+D duplicates.
      </p>
      <div
        className="stack-dropzone"
        data-dragging={dropGap !== null || undefined}
        data-testid="model-dropzone"
        onDragOver={handleDragOver}
        onDragLeave={handleDragLeave}
        onDrop={handleDrop}
      >
        <p className="stack-cap">Token embedding {embedding && <span className="stack-cap-figures">{embedding}</span>}</p>
        {count === 0 ? (
          <p className="stack-empty" data-drop-here={markedGap === 0 || undefined}>
            Drop layers here, or press Enter on a layer in the palette.
          </p>
        ) : (
          <ol ref={listRef} className="stack-list" aria-describedby="stack-help" data-drop-at-end={markedGap === count || undefined}>
            {layers.map((layer, index) => (
              <StackBlock
                key={index}
                layer={layer}
                index={index}
                total={count}
                figures={figures.ok ? figures.count.layers[index] : undefined}
                selected={selected === index}
                tabStop={index === activeIndex}
                grabbed={grab?.from === index}
                dropBefore={markedGap === index}
                definition={layerDefinition(layer.type)}
                onKeyDown={(event) => handleKeyDown(event, index)}
                onBlur={cancelGrabOnBlur}
                onSelect={() => select(index)}
                onMove={(to) => moveBlock(index, to)}
                onDuplicate={() => duplicateBlock(index)}
                onRemove={() => removeBlock(index)}
              />
            ))}
          </ol>
        )}
        <p className="stack-cap">Norm and output head {head && <span className="stack-cap-figures">{head}</span>}</p>
      </div>
      <p className="field-error stack-refusal">{refusal ?? ''}</p>
    </section>
  );
}
