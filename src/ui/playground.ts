// The one store the page uses, and narrow hooks onto it.
import { useStore } from 'zustand';
import { createPlayground, type PlaygroundState } from '../store/store.ts';
import type { TemporalState } from 'zundo';
import type { Doc } from '../store/store.ts';

export const playground = createPlayground();

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(playground, selector);
}

export function useHistory<T>(selector: (s: TemporalState<Doc>) => T): T {
  return useStore(playground.temporal, selector);
}

export const actions = () => playground.getState();
