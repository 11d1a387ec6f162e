// The app-wide presentation-mode switch (large type, high contrast) with its keyboard shortcut P.
import { usePreferencesStore } from '../../state/preferencesStore.ts';
import { useKeyboardShortcut } from '../explorer/useKeyboardShortcut.ts';

export function PresentationToggle() {
  const on = usePreferencesStore((state) => state.presentation);
  const toggle = usePreferencesStore((state) => state.togglePresentation);
  useKeyboardShortcut('p', toggle);
  return (
    <button
      type="button"
      className="button presentation-toggle"
      aria-pressed={on}
      aria-keyshortcuts="P"
      title="Presentation mode: large type and high contrast for a projector (shortcut: P)"
      onClick={toggle}
    >
      Presentation mode <kbd aria-hidden="true">P</kbd>
    </button>
  );
}
