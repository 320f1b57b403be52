// The one place the playground reaches into the engine. Everything the page shows
// about networking comes from these functions; the UI adds nothing of its own.
// Imported module by module (not through src/sim/index.ts) so the YAML reader stays
// out of the first view's JavaScript: ./io.ts loads it when a file is read or written.
export { allocate } from '../sim/ipam/index.ts';
export { compile, NODE_NETWORK, type Dataplane } from '../sim/dataplane/compile.ts';
export { show, type ShownNetns } from '../sim/dataplane/show.ts';
export { endpointsOf } from '../sim/dataplane/endpoints.ts';
export { trace, missingEnds } from '../sim/trace/index.ts';
export { neighText, fdbListings, conntrackText, type FdbListing } from '../sim/trace/remembered.ts';
export { formatIssue } from '../sim/errors.ts';
