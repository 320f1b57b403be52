// Which endpoints kube-proxy on one node uses for a Service port, as
// pkg/proxy/topology.go CategorizeEndpoints decides (read for podpath in December
// 2026; topology hints and terminating endpoints are not modelled), with the
// decisions both modes' syncProxyRules take from it.
import type { ServicePort, ServiceSpec } from '../model.ts';
import type { Endpoint } from '../dataplane/endpoints.ts';

export interface SortedEndpoints {
  /** Every ready endpoint, on any node (the Cluster policy chain: KUBE-SVC-, service-). */
  all: Endpoint[];
  /** The ready endpoints on this node (the Local policy chain: KUBE-SVL-, local-). */
  local: Endpoint[];
  /** internalTrafficPolicy Cluster, or traffic from outside at all (the short-circuits of the external chain use the Cluster chain). */
  usesCluster: boolean;
  /** internalTrafficPolicy Local, or externalTrafficPolicy Local on a port with a NodePort. */
  usesLocal: boolean;
  internalLocal: boolean;
  externalLocal: boolean;
  /** Traffic to the ClusterIP has an endpoint to go to from this node. */
  hasInternal: boolean;
  /** Traffic to the NodePort from outside has an endpoint to go to from this node. */
  hasExternal: boolean;
  /** The endpoints this node writes a chain for (allLocallyReachableEndpoints). */
  reachable: Endpoint[];
}

/**
 * `all`: the port's ready endpoints; `node`: the node whose kube-proxy writes the
 * rules (undefined only when no Service has a Local policy, so it does not matter).
 */
export function sortEndpoints(svc: ServiceSpec, sp: ServicePort, all: Endpoint[], node: string | undefined): SortedEndpoints {
  const externallyAccessible = svc.type === 'NodePort' && sp.nodePort !== undefined;
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const externalLocal = svc.externalTrafficPolicy === 'Local' && externallyAccessible;
  // An address the file's EndpointSlices give without a pod is on no node podpath knows: never local.
  const local = internalLocal || externalLocal ? all.filter((ep) => ep.pod !== undefined && ep.pod.nodeName === node) : [];
  const has = all.length > 0;
  const usesCluster = !internalLocal || externallyAccessible;
  return {
    all,
    local,
    usesCluster,
    usesLocal: internalLocal || externalLocal,
    internalLocal,
    externalLocal,
    hasInternal: internalLocal ? local.length > 0 : has,
    hasExternal: externalLocal ? local.length > 0 : has,
    // Local endpoints are among all of them: the union is `all` whenever the Cluster chain is written.
    reachable: usesCluster ? all : local,
  };
}
