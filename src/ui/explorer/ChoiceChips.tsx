// A radio group drawn as a row of chips: one Tab stop, arrow keys move, visible focus.
import { useId } from 'react';

interface Choice<T> {
  value: T;
  label: string;
}

interface ChoiceChipsProps<T> {
  /** Shared radio name; chips with the same name form one group even across rows. */
  name: string;
  choices: readonly Choice<T>[];
  selected: T;
  onSelect: (value: T) => void;
  size?: 'large' | 'small';
}

export function ChoiceChips<T extends string | number>({ name, choices, selected, onSelect, size = 'small' }: ChoiceChipsProps<T>) {
  const idPrefix = useId();
  return (
    <div className={`choice-chips choice-chips-${size}`}>
      {choices.map((choice) => {
        const id = `${idPrefix}-${choice.value}`;
        return (
          <label key={choice.value} className="choice-chip" htmlFor={id}>
            <input
              id={id}
              type="radio"
              name={name}
              value={choice.value}
              checked={choice.value === selected}
              onChange={() => onSelect(choice.value)}
            />
            <span>{choice.label}</span>
          </label>
        );
      })}
    </div>
  );
}
