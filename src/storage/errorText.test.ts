// Errors as the run list shows them: DOMExceptions from IndexedDB with their name even when their
// message is empty, Events by the error they carry, and storage-full detection through `cause`.
import { describe, expect, it } from 'vitest';
import { errorText, isStorageFull } from './errorText.ts';
import { storageError } from './indexedDb.ts';

describe('errorText', () => {
  it('gives a DOMException’s name and message, and its name alone when the message is empty', () => {
    expect(errorText(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('QuotaExceededError: The quota has been exceeded.');
    expect(errorText(new DOMException('', 'QuotaExceededError'))).toBe('QuotaExceededError');
  });

  it('gives an Error’s message, and an Event’s carried error instead of "[object Event]"', () => {
    expect(errorText(new Error('the model does not fit'))).toBe('the model does not fit');
    const request = Object.assign(new EventTarget(), { error: new DOMException('', 'UnknownError') });
    let failed: Event | null = null;
    request.addEventListener('error', (event) => (failed = event));
    request.dispatchEvent(new Event('error'));
    expect(errorText(failed)).toBe('UnknownError');
    expect(errorText(new Event('abort'))).toBe("a 'abort' event that carried no error");
    expect(errorText('plain text')).toBe('plain text');
  });
});

describe('storageError', () => {
  it('names the DOMException in a sentence with what to do, never an empty "()"', () => {
    const full = storageError('save to or read from IndexedDB', new DOMException('', 'QuotaExceededError'));
    expect(full.message).toBe('Could not save to or read from IndexedDB (QuotaExceededError): free disk space or remove old runs, then try again.');
    expect(isStorageFull(full)).toBe(true);
    const unknown = storageError('open the mad-lab-runs database', null);
    expect(unknown.message).toBe('Could not open the mad-lab-runs database (the browser gave no reason): reload the page; if it persists, clear this site’s data.');
    expect(unknown.message).not.toContain('()');
    expect(isStorageFull(unknown)).toBe(false);
    expect(isStorageFull(new Error('disk', { cause: new Error('inner', { cause: new DOMException('', 'QuotaExceededError') }) }))).toBe(true);
  });
});
