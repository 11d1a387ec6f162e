// The model being built survives a reload: it is kept in this browser's storage under its own key,
// apart from the library (which only an explicit save writes). A draft that cannot be read is ignored.
import type { ArchitectureSpec } from '../../model/architecture.ts';

const DRAFT_KEY = 'mad-lab.builder.draft';

/** The stored draft as parsed JSON (the store validates it), or null when there is none or storage is blocked. */
export function readDraft(): unknown {
  try {
    const text = window.localStorage.getItem(DRAFT_KEY);
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

export function writeDraft(spec: ArchitectureSpec): void {
  try {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify(spec));
  } catch {
    // Storage blocked or full: the draft is a convenience, the library reports its own failures.
  }
}
