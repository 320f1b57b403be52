// The cluster's edits (sim/edit.ts: add, move, rename, relabel, remove; a Deployment's
// scale) are not in the first view's JavaScript: the first view only draws the cluster.
// main.tsx fetches them as soon as the page has rendered; an edit asked for before they
// have arrived is done the moment they do (store.ts), never dropped.
export type Edits = typeof import('../sim/edit.ts') & Pick<typeof import('../sim/lesson/workload.ts'), 'scaleDeployment'>;

let edits: Edits | null = null;
let loading: Promise<Edits> | null = null;

export function loadEdits(): Promise<Edits> {
  return (loading ??= Promise.all([import('../sim/edit.ts'), import('../sim/lesson/workload.ts')]).then(
    ([edit, workload]) => (edits = { ...edit, scaleDeployment: workload.scaleDeployment }),
    (e: unknown) => {
      // Not loaded (the network went away): the next edit tries again.
      loading = null;
      throw e;
    },
  ));
}

/** The edits once they have loaded, else null. */
export function loadedEdits(): Edits | null {
  return edits;
}
