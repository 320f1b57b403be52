// A new NetworkPolicy being written: where it starts. The palette's NetworkPolicy opens
// it, clicked (from the selected pod) or dropped onto a pod on the canvas (from that
// pod); the Toolbar draws the dialog (PolicyEditor, loaded when first opened), which
// makes the form (newPolicyForm). No React and no policy code here: the first view loads it.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { objectKey } from '../../sim/model.ts';
import { actions } from '../playground.ts';

/** What a drag of the palette's NetworkPolicy carries (../canvas/Canvas.tsx takes it on a pod). */
export const POLICY_DRAG_MIME = 'application/x-podpath-networkpolicy';

export interface FreshPolicy {
  namespace: string;
  /** The labels it selects pods by: none selects every pod of the namespace. */
  labels: Record<string, string>;
}

export const newPolicy = createStore<{ fresh: FreshPolicy | null }>()(() => ({ fresh: null }));

export const useNewPolicy = () => useStore(newPolicy, (s) => s.fresh);

/** A new policy in the pod's namespace, selecting it by its labels; with no pod (or one gone), every pod of default. */
export function openNewPolicy(podKey?: string) {
  const pod = actions().scenario.pods.find((p) => objectKey(p) === podKey);
  newPolicy.setState({ fresh: pod ? { namespace: pod.namespace, labels: pod.labels } : { namespace: 'default', labels: {} } });
}

export const closeNewPolicy = () => newPolicy.setState({ fresh: null });
