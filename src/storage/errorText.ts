// Readable text for anything thrown. IndexedDB and the DOM throw DOMExceptions whose message is
// often empty (a QuotaExceededError then reads as "()"), and reject with Events whose String() is
// "[object Event]": these read as the DOMException's name and message instead.

/** One clause naming what went wrong: an Error's message, a DOMException's name and message. */
export function errorText(error: unknown): string {
  if (isDomException(error)) return error.message ? `${error.name}: ${error.message}` : error.name;
  if (error instanceof Error) return error.message || error.name;
  if (typeof Event !== 'undefined' && error instanceof Event) {
    const carried = (error.target as { error?: unknown } | null)?.error;
    return carried ? errorText(carried) : `a '${error.type}' event that carried no error`;
  }
  return String(error);
}

/** True when `error` or any error in its `cause` chain is a QuotaExceededError (storage is full). */
export function isStorageFull(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current !== null && current !== undefined && depth < 8; depth++) {
    if (isDomException(current) || current instanceof Error) {
      if (current.name === 'QuotaExceededError') return true;
      current = current.cause;
    } else {
      return false;
    }
  }
  return false;
}

function isDomException(error: unknown): error is DOMException {
  return typeof DOMException !== 'undefined' && error instanceof DOMException;
}
