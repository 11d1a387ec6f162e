// The last line of defence between the engine and a CLI user: the size policy and the run's memory
// plan refuse oversized runs before anything is allocated, but an error that still escapes from
// JavaScript's allocator or the GPU engine is turned into a sentence that says what to change.
// The original text follows in parentheses, so nothing is hidden.

/** An engine or runtime message, its domain sentence. */
const TRANSLATIONS: readonly { pattern: RegExp; sentence: string }[] = [
  {
    pattern: /Invalid typed array length|Array buffer allocation failed|Invalid array length/,
    sentence: 'The run needs more memory than this process can allocate: use a shorter sequence, a smaller batch, fewer examples or a narrower model',
  },
  {
    pattern: /exceeds \d+ workgroups per dimension/,
    sentence: 'A GPU dispatch needs more workgroups than the device allows: use a shorter sequence or a smaller batch',
  },
  {
    pattern: /out of memory/i,
    sentence: 'The GPU ran out of memory: lower --memory-budget, or use a shorter sequence, a smaller batch or a narrower model',
  },
];

/** The message a user sees for `message`: a domain sentence when it is a known engine failure, else itself. */
export function userMessage(message: string): string {
  const known = TRANSLATIONS.find((t) => t.pattern.test(message));
  return known === undefined ? message : `${known.sentence} (${message})`;
}
