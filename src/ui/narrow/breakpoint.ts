// Which screen the page is on: a phone (≤ 480 px wide), a tablet (≤ 1024 px) or a
// desktop. Decided by the same media queries the stylesheets use, so the components
// and the CSS never disagree about where the canvas and the panels go.
import { useSyncExternalStore } from 'react';

export type Breakpoint = 'phone' | 'tablet' | 'desktop';

/** The widest phone and the widest tablet, in CSS pixels (the modules' @media rules repeat them). */
export const PHONE_MAX_WIDTH = 480;
export const TABLET_MAX_WIDTH = 1024;

const PHONE_QUERY = `(max-width: ${PHONE_MAX_WIDTH}px)`;
export const NARROW_QUERY = `(max-width: ${TABLET_MAX_WIDTH}px)`;
/** A phone or a tablet held upright: the sheet (and the netns terminal in it) goes under the canvas. */
const UPRIGHT_QUERY = `${NARROW_QUERY} and (orientation: portrait)`;

/** Where there is no matchMedia (Node, jsdom), the page is a desktop: as it was before phones were thought of. */
function query(q: string): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(q) : null;
}

export function currentBreakpoint(): Breakpoint {
  if (query(PHONE_QUERY)?.matches) return 'phone';
  if (query(NARROW_QUERY)?.matches) return 'tablet';
  return 'desktop';
}

function subscribe(onChange: () => void): () => void {
  const lists = [query(PHONE_QUERY), query(NARROW_QUERY)].filter((l): l is MediaQueryList => l !== null);
  for (const l of lists) l.addEventListener('change', onChange);
  return () => {
    for (const l of lists) l.removeEventListener('change', onChange);
  };
}

/** The screen's breakpoint, re-rendering when a window is resized (or a tablet turned) across one. */
export function useBreakpoint(): Breakpoint {
  return useSyncExternalStore(subscribe, currentBreakpoint, () => 'desktop');
}

/** A phone or a tablet: the panels in a sheet of tabs, the toolbar's controls in a menu. */
export function useNarrow(): boolean {
  return useBreakpoint() !== 'desktop';
}

/** Does this media query match now (false where there is no matchMedia)? */
export function matchesNow(q: string): boolean {
  return query(q)?.matches ?? false;
}

function subscribeUpright(onChange: () => void): () => void {
  const l = query(UPRIGHT_QUERY);
  l?.addEventListener('change', onChange);
  return () => l?.removeEventListener('change', onChange);
}

/**
 * A phone or a tablet held upright: the sheet is under the canvas, full width, and holds
 * the netns terminal too. Turned sideways, the sheet stands at the right and the
 * terminal opens under the canvas, as on a desktop.
 */
export function useUpright(): boolean {
  return useSyncExternalStore(subscribeUpright, () => matchesNow(UPRIGHT_QUERY), () => false);
}
