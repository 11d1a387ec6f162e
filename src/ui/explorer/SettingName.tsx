// The exact mad-lab setting directory name, selectable and copyable, so datasets and runs can be
// matched with mad-lab's. Keyed by name in the parent, so the 'Copied' note resets with the setting.
import { useEffect, useRef, useState } from 'react';

interface SettingNameProps {
  name: string;
}

const COPIED_MESSAGE_MS = 1500;

export function SettingName({ name }: SettingNameProps) {
  const [copied, setCopied] = useState(false);
  const codeRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MESSAGE_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);

  // Clipboard access can be missing (insecure origin) or refused; then the name is selected instead,
  // ready for Ctrl+C.
  const selectName = () => {
    if (codeRef.current) window.getSelection()?.selectAllChildren(codeRef.current);
  };
  const copy = () => {
    if (!navigator.clipboard) return selectName();
    navigator.clipboard.writeText(name).then(() => setCopied(true), selectName);
  };

  return (
    <div className="setting-name">
      <span className="setting-name-label">mad-lab setting</span>
      <code ref={codeRef} className="setting-name-code" data-testid="setting-name">
        {name}
      </code>
      <button type="button" className="button button-quiet" onClick={copy} aria-label="Copy setting name">
        Copy
      </button>
      <span className="copy-status" role="status">
        {copied ? 'Copied' : ''}
      </span>
    </div>
  );
}
