// A labelled number input. An empty or unreadable entry becomes NaN, which the launcher's
// validation names, rather than silently snapping back to a number.
import { useId } from 'react';

interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  step?: number | 'any';
  hint?: string;
}

export function NumberField({ label, value, onChange, min, step = 1, hint }: NumberFieldProps) {
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
        onChange={(event) => onChange(event.target.value === '' ? NaN : Number(event.target.value))}
      />
    </div>
  );
}
