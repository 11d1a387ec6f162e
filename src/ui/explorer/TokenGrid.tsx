// One cell per model input position: the token id, coloured by role; scored positions are outlined
// and show their target underneath. Hidden from screen readers, which get TokenSequenceText instead
// (1,024 labelled cells would be unusable by ear).
import { memo, useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import { IGNORE_INDEX, type TaskInstance } from '../../tasks/types.ts';
import { ROLE_LABELS } from './tokenRoles.ts';
import { useFittedColumns } from './useFittedColumns.ts';

interface TokenGridProps {
  instance: TaskInstance;
  /** Digits of the largest token id, so every cell has the same width for this vocabulary. */
  tokenDigits: number;
}

function renderRows(instance: TaskInstance, columns: number): ReactNode[] {
  const { inputs, targets, roles } = instance;
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
    items.push(
      <span
        key={position}
        className={scored ? `token-cell role-${role} scored` : `token-cell role-${role}`}
        data-cell
        data-role={role}
        data-scored={scored || undefined}
        title={`position ${position}: ${ROLE_LABELS[role]} ${inputs[position]}${scored ? `, target ${target}` : ''}`}
      >
        <span className="token-id">{inputs[position]}</span>
        <span className="token-target">{scored ? target : ''}</span>
      </span>,
    );
  }
  return items;
}

export const TokenGrid = memo(function TokenGrid({ instance, tokenDigits }: TokenGridProps) {
  const gridRef = useRef<HTMLDivElement>(null);
  const columns = useFittedColumns(gridRef, instance.inputs.length, String(tokenDigits));
  const rows = useMemo(() => renderRows(instance, columns), [instance, columns]);
  const style = { '--token-columns': columns, '--token-digits': tokenDigits } as CSSProperties;
  return (
    <div ref={gridRef} className="token-grid" style={style} aria-hidden="true" data-testid="token-grid">
      <span className="token-cell-probe" data-cell-probe />
      {rows}
    </div>
  );
});
