// Copies text to the clipboard. Where the browser refuses (no permission, an insecure page), the
// text's own field is selected instead and the user is told to press Ctrl+C, so copying always works.
import { useState } from 'react';

interface CopyButtonProps {
  text: string;
  label: string;
  /** The field or block showing `text`, selected when the clipboard is refused. */
  sourceId: string;
}

function selectContents(id: string): void {
  const element = document.getElementById(id);
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    element.focus();
    element.select();
  } else if (element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
}

export function CopyButton({ text, label, sourceId }: CopyButtonProps) {
  const [status, setStatus] = useState('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Copied');
    } catch {
      selectContents(sourceId);
      setStatus('Selected: press Ctrl+C (⌘C) to copy');
    }
  }
  return (
    <span className="copy-control">
      <button type="button" className="button" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy-status" role="status">
        {status}
      </span>
    </span>
  );
}
