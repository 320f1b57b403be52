// Vitest: the page loads the packet walk at idle after its first render (store/engine.ts'
// loadWalk); tests start where the page is by then, with it loaded.
import { loadWalk } from './store/engine.ts';
import { loadEdits } from './store/edits.ts';

// Likewise the cluster's edits (store/edits.ts), fetched beside the first render.
await Promise.all([loadWalk(), loadEdits()]);
