// Parts of the page the first view does not need load on demand (dynamic import()),
// so the JavaScript loaded before the first render stays small (`npm run bench:ui`).
import { lazy, useState, type ComponentType } from 'react';

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

/**
 * A component loaded on demand: `Part` renders it (inside a Suspense) and loads it on
 * first render; `preload` fetches it sooner (at idle). Once loaded, `Part` renders in
 * the same commit as whatever asked for it, without suspending, as a component in the
 * first view's JavaScript would.
 */
export function onDemand<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  let loaded: { default: T } | null = null;
  let loading: Promise<{ default: T }> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (m) => (loaded = m),
      (e: unknown) => {
        loading = null; // a later render tries again
        throw e;
      },
    ));
  // React.lazy reads a thenable that has already resolved synchronously: no suspending.
  const Part = lazy(() => (loaded ? ({ then: (resolve: (m: { default: T }) => void) => resolve(loaded!) } as unknown as Promise<{ default: T }>) : preload()));
  return { Part, preload };
}
