// One polite live region for the whole builder: moves, additions and refusals are read out by
// screen readers, since a drag or a key press changes the stack without moving focus to it.
import { createContext, useContext } from 'react';

export type Announce = (message: string) => void;

export const AnnounceContext = createContext<Announce>(() => {
  throw new Error('useAnnounce must be used inside the Builder page, which provides the live region.');
});

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
