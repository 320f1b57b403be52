// The one place the playground reaches into the engine. Everything the page shows
// about networking comes from these functions; the UI adds nothing of its own.
// Imported module by module (not through src/sim/index.ts) so the YAML reader stays
// out of the first view's JavaScript: ./io.ts loads it when a file is read or written.
// Likewise what only the netns terminal reads (ip neigh, bridge fdb, conntrack, show)
// is imported by ./remembered.ts and ./shown.ts straight from the engine (everything this module imports
// is built into the first view's chunk, vite.config.ts).
export { allocate } from '../sim/ipam/index.ts';
export { compile, NODE_NETWORK, type Dataplane } from '../sim/dataplane/compile.ts';
export { endpointsOf } from '../sim/dataplane/endpoints.ts';
export { endsExist } from '../sim/trace/endsExist.ts';
export { formatIssue } from '../sim/errors.ts';

/**
 * The packet walk (the engine's trace) is not in the first view: it loads once a
 * packet is sent (or restored), and at idle after the first render. Until it has
 * loaded there is no trace to show (see derived.ts' traceOf); the store shows the
 * trace the moment it arrives.
 */
export type TraceFn = typeof import('../sim/trace/index.ts').trace;
let traceFn: TraceFn | null = null;
let walkLoading: Promise<TraceFn> | null = null;
/** What the page needs to show a walk (ui/panels/WalkSteps.tsx), registered by the page: fetched with it. */
const neededWithWalk: (() => Promise<unknown>)[] = [];
/**
 * Loads `load` with the walk, so that a trace never arrives before what shows it: the
 * hop list appears in the same render as the trace, as when it was in the first view.
 */
export function loadWithWalk(load: () => Promise<unknown>): void {
  neededWithWalk.push(load);
}
export function loadWalk(): Promise<TraceFn> {
  return (walkLoading ??= Promise.all([import('../sim/trace/index.ts'), ...neededWithWalk.map((load) => load())]).then(
    ([m]) => (traceFn = m.trace),
    (e: unknown) => {
      // Not loaded (the network went away): the next packet tries again.
      walkLoading = null;
      throw e;
    },
  ));
}
/** The trace function once the walk has loaded, else null. */
export function loadedTrace(): TraceFn | null {
  return traceFn;
}
