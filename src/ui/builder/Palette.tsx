// Every layer of the registry as a block to drag into the model (or add with Enter), grouped by
// what it mixes, each with its one-line description and its parameters and state at the current
// width and length. An add the model refuses (a 65th layer, say) says why under the panel's hint.
import { useMemo, useState, type DragEvent } from 'react';
import { LAYERS } from '../../layers/registry.ts';
import type { LayerDefinition, LayerKind } from '../../layers/types.ts';
import { useBuilderStore } from '../../state/builderStore.ts';
import { useAnnounce } from './announcer.ts';
import { paletteFigures, type LayerFigures } from './builderCounts.ts';
import { LAYER_MIME } from './dragData.ts';
import { formatCount, stateText } from './formatNumbers.ts';

const GROUPS: readonly { kind: LayerKind; title: string; note: string }[] = [
  { kind: 'sequence-mixer', title: 'Sequence mixers', note: 'mix information across positions' },
  { kind: 'channel-mixer', title: 'Channel mixers', note: 'transform each position on its own' },
];

function figuresText(figures: LayerFigures | undefined): string {
  if (!figures) return '';
  if (!figures.ok) return `Not at this width: ${figures.reason}`;
  return `${formatCount(figures.parameters)} params · ${stateText(figures.stateSize)}`;
}

interface PaletteBlockProps {
  layer: LayerDefinition;
  figures: LayerFigures | undefined;
  /** The reason the last add was refused, or null once one succeeds. */
  onRefusal: (reason: string | null) => void;
}

function PaletteBlock({ layer, figures, onRefusal }: PaletteBlockProps) {
  const add = useBuilderStore((state) => state.add);
  const announce = useAnnounce();
  const descriptionId = `palette-${layer.name}-about`;

  const addAtEnd = () => {
    const result = add(layer.name);
    const length = useBuilderStore.getState().spec.layers.length;
    announce(result.ok ? `Added ${layer.name} as block ${length} of ${length}.` : `Cannot add ${layer.name}: ${result.reason}`);
    onRefusal(result.ok ? null : `Cannot add ${layer.name}: ${result.reason}.`);
  };

  const startDrag = (event: DragEvent<HTMLButtonElement>) => {
    event.dataTransfer.setData(LAYER_MIME, layer.name);
    event.dataTransfer.setData('text/plain', layer.name);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <li>
      <button
        type="button"
        className={`palette-block kind-${layer.kind}`}
        draggable
        onDragStart={startDrag}
        onClick={addAtEnd}
        aria-label={`Add ${layer.name}`}
        aria-describedby={descriptionId}
        data-testid={`palette-${layer.name}`}
        data-unavailable={figures?.ok === false || undefined}
      >
        <span className="block-head">
          <code className="block-shorthand" aria-hidden="true">
            {layer.shorthand}
          </code>
          <span className="block-name">{layer.name}</span>
        </span>
        <span id={descriptionId} className="palette-block-about">
          <span className="block-description">{layer.description}</span>
          <span className="block-figures">{figuresText(figures)}</span>
        </span>
      </button>
    </li>
  );
}

export function Palette() {
  const dim = useBuilderStore((state) => state.spec.dim);
  const seqLen = useBuilderStore((state) => state.counting.seqLen);
  const figures = useMemo(() => paletteFigures(dim, seqLen), [dim, seqLen]);
  const [refusal, setRefusal] = useState<string | null>(null);
  return (
    <section className="builder-panel palette" aria-labelledby="palette-title">
      <h2 id="palette-title" className="panel-title">
        Layers
      </h2>
      <p className="panel-hint">
        Drag a block into the model, or press Enter on it to add it at the end. Counts are at width {dim}, length {seqLen}.
      </p>
      {refusal && (
        <p className="field-error" data-testid="palette-refusal">
          {refusal}
        </p>
      )}
      {GROUPS.map((group) => (
        <div key={group.kind} className="palette-group" role="group" aria-labelledby={`palette-${group.kind}`}>
          <h3 id={`palette-${group.kind}`} className="palette-group-title">
            {group.title} <span className="palette-group-note">{group.note}</span>
          </h3>
          <ul className="palette-list">
            {LAYERS.filter((layer) => layer.kind === group.kind).map((layer) => (
              <PaletteBlock key={layer.name} layer={layer} figures={figures.get(layer.name)} onRefusal={setRefusal} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
