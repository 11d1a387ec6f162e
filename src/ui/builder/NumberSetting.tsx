// A whole-number setting typed as text and applied on Enter or when the field is left. A refused
// value stays in the field with the reason beside it (the model keeps its old value); Escape
// brings the current value back. The reason's line is always reserved, so nothing below it jumps.
import { useId, useState } from 'react';
import type { ActionResult } from '../../state/builderStore.ts';

interface NumberSettingProps {
  label: string;
  value: number;
  /** Applies the value; a refusal's reason is shown beside the field. */
  onCommit: (value: number) => ActionResult;
  hint?: string;
  testId?: string;
}

export function NumberSetting({ label, value, onCommit, hint, testId }: NumberSettingProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function commit() {
    if (draft === null) return;
    const trimmed = draft.trim();
    const parsed = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(parsed)) {
      setError(`${label} must be a whole number, not ${JSON.stringify(draft)}.`);
      return;
    }
    const result = parsed === value ? ({ ok: true } as const) : onCommit(parsed);
    if (result.ok) {
      setDraft(null);
      setError(null);
    } else setError(result.reason);
  }

  return (
    <div className="number-setting">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={draft ?? String(value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-message`}
        data-testid={testId}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          } else if (event.key === 'Escape') {
            setDraft(null);
            setError(null);
          }
        }}
      />
      <p id={`${id}-message`} className={error ? 'field-error' : 'field-hint'} role={error ? 'alert' : undefined}>
        {error ?? hint ?? ''}
      </p>
    </div>
  );
}
