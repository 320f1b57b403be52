// The big cluster's search (the Find bar above the canvas, the searched From and To
// pickers, the index they search) is not in the first view's JavaScript: a cluster of
// the size that needs it is read from a file or a save, never the demo. It loads at
// idle after the first render, as soon as a big file starts to import, and before the
// first render when the page opens on a big cluster (main.tsx): the bar above the
// canvas is there from the first frame that has a big cluster in it.
import { onDemand } from '../later.ts';

const canvasFind = onDemand(() => import('./CanvasFind.tsx'));
const endPickers = onDemand(() => import('./EndPickers.tsx'));

export const CanvasFind = canvasFind.Part;
export const EndPickers = endPickers.Part;

/** Fetches both (they share FindBox and the index: one download). */
export function preloadSearch(): Promise<unknown> {
  return Promise.all([canvasFind.preload(), endPickers.preload()]);
}
