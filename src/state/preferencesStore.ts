// The viewer's preferences, kept in localStorage so they survive a reload: presentation mode
// (large type and high contrast for a classroom or a projector). The mode is applied as
// `data-presentation` on the <html> element, whose CSS section in src/ui/styles.css overrides the
// theme variables, so every page follows without knowing about it.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export const PREFERENCES_STORAGE_KEY = 'mad-lab-preferences';
/** The attribute on <html> that the presentation-mode CSS keys on. */
export const PRESENTATION_ATTRIBUTE = 'data-presentation';

interface PreferencesState {
  presentation: boolean;
  setPresentation: (on: boolean) => void;
  togglePresentation: () => void;
}

export const usePreferencesStore = create<PreferencesState>()(
  persist(
    (set, get) => ({
      presentation: false,
      setPresentation: (presentation) => set({ presentation }),
      togglePresentation: () => set({ presentation: !get().presentation }),
    }),
    {
      name: PREFERENCES_STORAGE_KEY,
      // Unit tests run in Node without localStorage; there the preference lives for the session only.
      storage: createJSONStorage(() => globalThis.localStorage),
      partialize: (state) => ({ presentation: state.presentation }),
    },
  ),
);

function applyPresentation(on: boolean): void {
  if (typeof document === 'undefined') return;
  document.documentElement.setAttribute(PRESENTATION_ATTRIBUTE, on ? 'on' : 'off');
}

// localStorage is read synchronously when the store is created, so the attribute is set before
// the first paint and a reload in presentation mode does not flash the normal theme.
applyPresentation(usePreferencesStore.getState().presentation);
usePreferencesStore.subscribe((state, previous) => {
  if (state.presentation !== previous.presentation) applyPresentation(state.presentation);
});
