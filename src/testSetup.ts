// Vitest: the page loads the packet walk at idle after its first render (store/engine.ts'
// loadWalk); tests start where the page is by then, with it loaded.
import { loadWalk } from './store/engine.ts';

await loadWalk();
