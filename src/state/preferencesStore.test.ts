// Runs in Node: zustand's persist middleware stays silent without localStorage, so the store is
// checked with an in-memory Storage installed before it is imported.
import { beforeAll, describe, expect, it } from 'vitest';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const storage = new MemoryStorage();
let store: typeof import('./preferencesStore.ts');

beforeAll(async () => {
  storage.setItem('mad-lab-preferences', JSON.stringify({ state: { presentation: true }, version: 0 }));
  Object.assign(globalThis, { localStorage: storage });
  store = await import('./preferencesStore.ts');
});

describe('preferences store', () => {
  it('starts from what localStorage holds', () => {
    expect(store.usePreferencesStore.getState().presentation).toBe(true);
  });

  it('toggles presentation mode and writes it back to localStorage', () => {
    const { togglePresentation, setPresentation } = store.usePreferencesStore.getState();
    togglePresentation();
    expect(store.usePreferencesStore.getState().presentation).toBe(false);
    expect(JSON.parse(storage.getItem(store.PREFERENCES_STORAGE_KEY)!).state).toEqual({ presentation: false });
    setPresentation(true);
    expect(JSON.parse(storage.getItem(store.PREFERENCES_STORAGE_KEY)!).state).toEqual({ presentation: true });
  });
});
