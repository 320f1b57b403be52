// Parts of the page the first view does not need load on demand (dynamic import()),
// so the JavaScript loaded before the first render stays small (`npm run bench:ui`).
import { useState } from 'react';

/** Runs `fn` once the browser is idle after the first render (requestIdleCallback, or a timeout where there is none); returns a cancel. */
export function whenIdle(fn: () => void, timeout = 2000): () => void {
  if (typeof window === 'undefined') return () => {};
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(() => fn(), { timeout });
    return () => window.cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 200);
  return () => clearTimeout(id);
}

/**
 * True from the first render where `on` was true, then for good: a lazily loaded part
 * is mounted when first wanted and stays mounted, as it always was before it was split
 * out (its own state, a tab picked or a size, lives on).
 */
export function useWantedOnce(on: boolean): boolean {
  const [wanted, setWanted] = useState(on);
  if (on && !wanted) setWanted(true);
  return wanted || on;
}
