// One block of the model stack: its layer, what it costs, how many settings differ from the
// defaults, and buttons for what the keyboard shortcuts also do. Only the block that holds the
// list's single Tab stop has its buttons in the Tab order.
import type { DragEvent, KeyboardEvent } from 'react';
import { layerDefaults } from '../../config/layerConfigs.ts';
import type { LayerDefinition } from '../../layers/types.ts';
import type { ArchitectureLayer } from '../../model/architecture.ts';
import type { LayerCount } from '../../model/counting.ts';
import { BlockIcon } from './BlockIcon.tsx';
import { changedFieldCount } from './configFields.ts';
import { BLOCK_MIME } from './dragData.ts';
import { formatCount, stateText } from './formatNumbers.ts';

interface StackBlockProps {
  layer: ArchitectureLayer;
  definition: LayerDefinition;
  index: number;
  total: number;
  figures: LayerCount | undefined;
  selected: boolean;
  /** The one block reachable with Tab (roving tab stop). */
  tabStop: boolean;
  /** Picked up with Space and being moved with the arrow keys. */
  grabbed: boolean;
  /** Draws the insertion line above this block while something is dragged over it. */
  dropBefore: boolean;
  onKeyDown: (event: KeyboardEvent<HTMLLIElement>) => void;
  onBlur: () => void;
  onSelect: () => void;
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onRemove: () => void;
}

export function StackBlock(props: StackBlockProps) {
  const { layer, definition, index, total, figures, selected, tabStop, grabbed, dropBefore } = props;
  const changed = changedFieldCount(layerDefaults(layer.type), layer.config ?? {});
  const tabIndex = tabStop ? 0 : -1;
  const name = definition.name;

  const startDrag = (event: DragEvent<HTMLLIElement>) => {
    event.dataTransfer.setData(BLOCK_MIME, String(index));
    event.dataTransfer.setData('text/plain', name);
    event.dataTransfer.effectAllowed = 'move';
  };

  return (
    <li
      className={`stack-block kind-${definition.kind}`}
      data-block-index={index}
      data-testid={`block-${index}`}
      data-selected={selected || undefined}
      data-grabbed={grabbed || undefined}
      data-drop-before={dropBefore || undefined}
      tabIndex={tabIndex}
      draggable
      aria-roledescription="movable block"
      aria-label={`${index + 1} of ${total}: ${name}${changed > 0 ? `, ${changed} setting${changed === 1 ? '' : 's'} changed` : ''}`}
      aria-describedby="stack-help"
      aria-current={selected || undefined}
      onDragStart={startDrag}
      onKeyDown={props.onKeyDown}
      onBlur={props.onBlur}
      onClick={props.onSelect}
    >
      <span className="block-position" aria-hidden="true">
        {index + 1}
      </span>
      <span className="block-main">
        <span className="block-head">
          <code className="block-shorthand" aria-hidden="true">
            {definition.shorthand}
          </code>
          <span className="block-name">{name}</span>
          {changed > 0 && <span className="block-changed">{changed} changed</span>}
        </span>
        <span className="block-figures">
          {figures ? `${formatCount(figures.parameters)} params · ${stateText(figures.stateSize)}` : ' '}
        </span>
      </span>
      <span className="block-actions">
        <button type="button" className="icon-button" tabIndex={tabIndex} disabled={index === 0} aria-label={`Move ${name} up`} title="Move up (Alt+↑)" onClick={() => props.onMove(index - 1)}>
          <BlockIcon name="up" />
        </button>
        <button type="button" className="icon-button" tabIndex={tabIndex} disabled={index === total - 1} aria-label={`Move ${name} down`} title="Move down (Alt+↓)" onClick={() => props.onMove(index + 1)}>
          <BlockIcon name="down" />
        </button>
        <button type="button" className="icon-button" tabIndex={tabIndex} aria-label={`Duplicate ${name}`} title="Duplicate (Ctrl+D)" onClick={props.onDuplicate}>
          <BlockIcon name="duplicate" />
        </button>
        <button type="button" className="icon-button icon-button-danger" tabIndex={tabIndex} aria-label={`Remove ${name}`} title="Remove (Delete)" onClick={props.onRemove}>
          <BlockIcon name="remove" />
        </button>
      </span>
    </li>
  );
}
