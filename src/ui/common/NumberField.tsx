// A labelled number field, applied one of two ways:
// - live (`onChange`, the Runs launcher): every edit is passed on at once, and an empty or
//   unreadable entry becomes NaN, which the launcher's validation names rather than silently
//   snapping back to a number; the hint is the field's tooltip. A problem the page found with the
//   value (`error`) marks the field and is shown under it; the value stays as typed.
// - on commit (`onCommit`, the Builder): a whole number typed as text and applied on Enter or when
//   the field is left. A refused value stays in the field with the reason beside it (the model
//   keeps its old value); Escape brings the current value back. The line under the field holds the
//   hint or the reason and is always reserved, so nothing below it jumps.
// Each way keeps the class its page styles (`number-field`, `number-setting`).
import { useId, useState } from 'react';

export type CommitResult = { ok: true } | { ok: false; reason: string };

interface CommonProps {
  label: string;
  value: number;
  hint?: string;
  testId?: string;
}

interface LiveProps extends CommonProps {
  onChange: (value: number) => void;
  min?: number;
  step?: number | 'any';
  /** What is wrong with the value, or undefined when it is fine. */
  error?: string | undefined;
  onCommit?: never;
}

interface CommitProps extends CommonProps {
  /** Applies the value; a refusal's reason is shown beside the field. */
  onCommit: (value: number) => CommitResult;
  onChange?: never;
}

export type NumberFieldProps = LiveProps | CommitProps;

export function NumberField(props: NumberFieldProps) {
  return props.onCommit ? <CommittedNumberField {...props} /> : <LiveNumberField {...props} />;
}

function LiveNumberField({ label, value, onChange, min, step = 1, hint, error, testId }: LiveProps) {
  const id = useId();
  return (
    <div className="number-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={Number.isNaN(value) ? '' : value}
        min={min}
        step={step}
        title={hint}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value === '' ? NaN : Number(event.target.value))}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function CommittedNumberField({ label, value, onCommit, hint, testId }: CommitProps) {
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
