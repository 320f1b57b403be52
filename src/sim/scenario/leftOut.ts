// Pods a file holds that podpath does not draw: a hostNetwork pod is its node (it
// uses the node's netns and address), and a Pending pod that no node runs yet has no
// address at all. They are not in the Scenario; this remembers them beside it, so
// that naming one in a trace says where it went instead of "no pod".
import type { Scenario } from '../model.ts';

export type LeftOutPod =
  /** hostNetwork: true: it is its node's netns, so a trace from it is a trace from `node/NAME`. */
  | { reason: 'host-network'; nodeName?: string }
  /** Pending with no spec.nodeName: the scheduler has not placed it, so it has no address. */
  | { reason: 'unscheduled'; labels?: Record<string, string> };

/**
 * Scenarios read from a dump that shows no flanneld but modelled with a CNI that
 * carries flanneld's masquerade chain (cni/infer.ts masqueradeCaveat): a hop that
 * credits that chain says it is the model's rule, not one the cluster is known to have.
 */
export const cniMasqueradeUnseen = new WeakSet<Scenario>();

/**
 * Scenarios whose nodes' addresses come from the file (a dump) but whose node network
 * the file does not give: its default gateway, the network's first address, is
 * podpath's assumption, and a hop that sends a packet there says so.
 */
export const nodeGatewayAssumed = new WeakSet<Scenario>();

/** By `NS/NAME`, for the scenario a file was read into (and the same scenario once allocated). */
export const leftOutPods = new WeakMap<Scenario, ReadonlyMap<string, LeftOutPod>>();
