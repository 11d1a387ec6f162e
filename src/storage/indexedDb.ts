// A small promise wrapper over IndexedDB: open a database with an upgrade callback, and run one
// read or read-write transaction over some object stores, resolving when it commits. Works in
// pages and workers alike (both have `indexedDB`). Failures reject with one sentence naming the
// DOMException (e.g. QuotaExceededError) and what to do, with the DOMException as `cause`.

import { errorText } from './errorText.ts';

export type Upgrade = (db: IDBDatabase, oldVersion: number) => void;

export function openDatabase(name: string, version: number, upgrade: Upgrade): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(new Error('This browser offers no IndexedDB, so runs cannot be saved: leave private browsing or allow site data for this page.'));
  }
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // Another tab with a newer version asks to upgrade: step aside rather than block it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(storageError(`open the ${name} database`, request.error));
    request.onblocked = () => reject(new Error(`The ${name} database is held open by an older MAD Lab tab: close the other MAD Lab tabs and reload.`));
  });
}

/**
 * Runs `work` in one transaction over `stores` and resolves with its value once the transaction
 * commits (so a resolved write is on disk as far as IndexedDB promises).
 */
export function transact<T>(
  db: IDBDatabase,
  stores: string | string[],
  mode: IDBTransactionMode,
  work: (tx: IDBTransaction) => T | Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let value: T;
    tx.oncomplete = () => resolve(value);
    // A request's error reaches the transaction before tx.error is set: take it from the request.
    tx.onabort = () => reject(storageError('save to or read from IndexedDB', tx.error));
    tx.onerror = (event) => reject(storageError('save to or read from IndexedDB', (event.target as IDBRequest | null)?.error ?? tx.error));
    // `work` may only await IndexedDB requests of this transaction: any other await lets it commit.
    Promise.resolve(work(tx)).then(
      (result) => {
        value = result;
      },
      (error: unknown) => {
        tx.abort();
        reject(error);
      },
    );
  });
}

/** A request's result as a promise. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(storageError('read or write IndexedDB', request.error));
  });
}

/** "Could not <what> (<name>: <message>): <what to do>." */
export function storageError(what: string, cause: DOMException | null): Error {
  const quota = cause?.name === 'QuotaExceededError';
  const advice = quota ? 'free disk space or remove old runs, then try again' : 'reload the page; if it persists, clear this site’s data';
  const problem = cause ? errorText(cause) : 'the browser gave no reason';
  return new Error(`Could not ${what} (${problem}): ${advice}.`, { cause });
}
