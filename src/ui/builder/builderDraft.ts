// The model being built survives a reload: it is kept in this browser's storage under its own key,
// apart from the library (which only an explicit save writes). A draft that cannot be parsed is
// ignored. A draft over the size policy (config/sizePolicy.ts), saved before the policy existed,
// is reported for discarding instead of restored: restoring it once blocked every reload.
import { architectureSizeProblems } from '../../config/sizePolicy.ts';
import type { ArchitectureSpec } from '../../model/architecture.ts';
import { MAX_SHARE_JSON_LENGTH, textLengthProblem } from '../../share/shareState.ts';

const DRAFT_KEY = 'mad-lab.builder.draft';

/** The stored draft: none (or unreadable), a candidate spec for the store to validate, or one over the size limits. */
export type StoredDraft = { kind: 'none' } | { kind: 'spec'; spec: unknown } | { kind: 'oversize'; reason: string };

const NONE: StoredDraft = { kind: 'none' };

/** The stored draft, with its length checked before it is parsed and its sizes before anything walks its layers. */
export function readDraft(): StoredDraft {
  let text: string | null;
  try {
    text = window.localStorage.getItem(DRAFT_KEY);
  } catch {
    return NONE; // storage blocked
  }
  if (text === null) return NONE;
  const tooLong = textLengthProblem('its text', text.length, MAX_SHARE_JSON_LENGTH, 'open a smaller model');
  if (tooLong !== null) return { kind: 'oversize', reason: tooLong };
  let spec: unknown;
  try {
    spec = JSON.parse(text) as unknown;
  } catch {
    return NONE;
  }
  const problems = architectureSizeProblems(spec);
  if (problems.length > 0) return { kind: 'oversize', reason: problems.map((problem) => problem.message).join(' ') };
  return { kind: 'spec', spec };
}

export function writeDraft(spec: ArchitectureSpec): void {
  try {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify(spec));
  } catch {
    // Storage blocked or full: the draft is a convenience, the library reports its own failures.
  }
}

export function discardDraft(): void {
  try {
    window.localStorage.removeItem(DRAFT_KEY);
  } catch {
    // Storage blocked: there is no draft to discard either.
  }
}
