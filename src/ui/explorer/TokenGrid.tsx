// One cell per model input position: the token id, coloured by role; scored positions are outlined
// and show their target underneath. With a run's predictions, each scored position is ringed green
// (right) or red (wrong) and shows the predicted token with ✓ or ✗. Hidden from screen readers,
// which get TokenSequenceText instead (1,024 labelled cells would be unusable by ear).
import { memo, useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import { IGNORE_INDEX, type TaskInstance } from '../../tasks/types.ts';
import type { PredictionMark } from './predictionMarks.ts';
import { ROLE_LABELS } from './tokenRoles.ts';
import { useFittedColumns } from './useFittedColumns.ts';

interface TokenGridProps {
  instance: TaskInstance;
  /** Digits of the largest token id, so every cell has the same width for this vocabulary. */
  tokenDigits: number;
  /** A run's predictions at the scored positions, or null when none are shown. */
  marks: readonly PredictionMark[] | null;
}

function renderRows(instance: TaskInstance, columns: number, marks: readonly PredictionMark[] | null): ReactNode[] {
  const { inputs, targets, roles } = instance;
  const markAt = new Map(marks?.map((mark) => [mark.position, mark]));
  const items: ReactNode[] = [];
  for (let position = 0; position < inputs.length; position++) {
    if (position % columns === 0) {
      items.push(
        <span key={`row-${position}`} className="token-row-label" data-row-label>
          {position}
        </span>,
      );
    }
    const target = targets[position];
    const scored = target !== IGNORE_INDEX;
    const role = roles[position];
    const mark = markAt.get(position);
    const outcome = mark ? (mark.right ? 'right' : 'wrong') : undefined;
    const classes = ['token-cell', `role-${role}`, scored && 'scored', outcome && `prediction-${outcome}`].filter(Boolean).join(' ');
    const predictionTitle = mark ? `, predicted ${mark.predicted} (probability ${mark.probability.toFixed(2)}), ${outcome}` : '';
    items.push(
      <span
        key={position}
        className={classes}
        data-cell
        data-role={role}
        data-scored={scored || undefined}
        data-outcome={outcome}
        title={`position ${position}: ${ROLE_LABELS[role]} ${inputs[position]}${scored ? `, target ${target}` : ''}${predictionTitle}`}
      >
        <span className="token-id">{inputs[position]}</span>
        <span className="token-target">{scored ? target : ''}</span>
        {marks && (
          <span className="token-prediction" data-predicted={mark?.predicted}>
            {mark ? `${mark.right ? '✓' : '✗'}${mark.predicted}` : ''}
          </span>
        )}
      </span>,
    );
  }
  return items;
}

export const TokenGrid = memo(function TokenGrid({ instance, tokenDigits, marks }: TokenGridProps) {
  const gridRef = useRef<HTMLDivElement>(null);
  // A predicted token carries a ✓ or ✗ before it: one more character per cell.
  const columns = useFittedColumns(gridRef, instance.inputs.length, String(marks ? tokenDigits + 1 : tokenDigits));
  const rows = useMemo(() => renderRows(instance, columns, marks), [instance, columns, marks]);
  const style = { '--token-columns': columns, '--token-digits': marks ? tokenDigits + 1 : tokenDigits } as CSSProperties;
  return (
    <div ref={gridRef} className="token-grid" style={style} aria-hidden="true" data-testid="token-grid">
      <span className="token-cell-probe" data-cell-probe />
      {rows}
    </div>
  );
});
