// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (⌘ on macOS) undo and redo model changes anywhere on the page,
// except in text fields, where they keep undoing typing.
import { useEffect } from 'react';
import { useBuilderStore } from '../../state/builderStore.ts';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'file'].includes(target.type);
}

export function useUndoShortcuts(onChange: (message: string) => void): void {
  useEffect(() => {
    const handleKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isTextEntry(event.target)) return;
      const key = event.key.toLowerCase();
      const redo = (key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey);
      const undo = key === 'z' && !event.shiftKey;
      if (!undo && !redo) return;
      event.preventDefault();
      const store = useBuilderStore.getState();
      if (undo && store.past.length > 0) {
        store.undo();
        onChange('Undone.');
      } else if (redo && store.future.length > 0) {
        store.redo();
        onChange('Redone.');
      }
    };
    window.addEventListener('keydown', handleKeyDown);
    return () => window.removeEventListener('keydown', handleKeyDown);
  }, [onChange]);
}
