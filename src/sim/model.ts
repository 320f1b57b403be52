// The declarative cluster a person edits: Kubernetes' own field names where
// Kubernetes has them, plus the podpath.dev/v1alpha1 Cluster for what it has not.

import { DEFAULT_CNI, type CniMode } from './cni/modes.ts';
import { DEFAULT_KUBE_PROXY, type KubeProxyMode } from './proxy/modes.ts';
import type { CalicoPool } from './cni/calicoPool.ts';
import type { CiliumConfig } from './cni/ciliumConfig.ts';

// The modes are the plugins' (src/sim/cni, src/sim/proxy); named here for the model's readers.
export { CNI_MODES, type CniMode } from './cni/modes.ts';
export { KUBE_PROXY_MODES, UNOFFERED_KUBE_PROXY_MODES, type KubeProxyMode } from './proxy/modes.ts';

import type { NetworkPolicy } from './policy/types.ts';

export type Protocol = 'TCP' | 'UDP';

export interface ClusterSpec {
  /** The cluster-wide pod range (kube-controller-manager --cluster-cidr). */
  podCIDR: string;
  /** Size of each node's podCIDR (--node-cidr-mask-size), /24 by default. */
  nodeCIDRMaskSize: number;
  /** Where ClusterIPs come from (kube-apiserver --service-cluster-ip-range). */
  serviceCIDR: string;
  /** The L2 segment the nodes' eth0 sit on (the first of nodeNetworks, when that names several). */
  nodeNetwork: string;
  /**
   * Racks: the node networks when nodes sit on more than one subnet, each its own L2
   * segment, joined by a router holding each one's .1. A node is on the one its
   * InternalIP is in; nodes without one get addresses of the first; the external client
   * is on the first.
   */
  nodeNetworks?: string[];
  cni: CniMode;
  kubeProxy: KubeProxyMode;
  /**
   * flanneld's --ip-masq (both of flannel's backends, vxlan and host-gw):
   * chain FLANNEL-POSTRTG masquerades pod traffic leaving the cluster network to the
   * node's address. Absent means true, as kube-flannel.yml runs flanneld --ip-masq.
   * false: nobody masquerades it (flanneld without --ip-masq and a CNI delegate that
   * says "ipMasq": false; with the stock delegate, flannel's CNI plugin would have
   * the bridge plugin masquerade instead, which podpath does not model).
   */
  ipMasq?: boolean;
  /**
   * Calico's IPPool (the pool is podCIDR) in Calico's own field names: ipipMode,
   * vxlanMode, blockSize. Read when cni is calico; absent fields take the defaults of
   * calico.yaml's pool (ipipMode Always, vxlanMode Never, blockSize 26).
   */
  calico?: Partial<CalicoPool>;
  /**
   * Cilium's settings in its Helm values' names: routingMode, tunnelProtocol,
   * kubeProxyReplacement. Read when cni is cilium; absent fields take Helm's defaults
   * (tunnel, vxlan, false).
   */
  cilium?: Partial<CiliumConfig>;
}

/** kubeadm + flannel defaults, used when a file has no Cluster document. */
export const DEFAULT_CLUSTER: ClusterSpec = {
  podCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.96.0.0/12',
  nodeNetwork: '192.168.56.0/24',
  cni: DEFAULT_CNI,
  kubeProxy: DEFAULT_KUBE_PROXY,
};

export interface NodeSpec {
  name: string;
  labels: Record<string, string>;
  /** status.addresses[type=InternalIP]; allocated from nodeNetwork when absent. */
  internalIP?: string;
  /** spec.podCIDR; the first free block of the cluster podCIDR when absent. */
  podCIDR?: string;
  /**
   * host-local's last_reserved_ip.0 for this node's range: the next pod gets the
   * first free address after it. Stored so that removing a pod never renumbers
   * the next one (host-local does not reuse a freed address at once).
   */
  lastReservedIP?: string;
  /**
   * cni0 is on this node although no pod runs there: the bridge plugin created it
   * with an earlier pod and never deletes it (DEL removes only the pod's veth). Set
   * when a node's last pod goes; a node with pods has cni0 whatever this says.
   */
  cni0Created?: boolean;
  /**
   * Calico's block affinities: the blocks of the pool this node holds, in the order it
   * took them (a node takes one when its blocks are full, or at start for its tunnel
   * address). Stored like podIP: allocation never takes a block from a node.
   */
  calicoBlocks?: string[];
  /**
   * What listens on the node's own network by a dump's account (the kubelet, the
   * hostNetwork pods podpath does not draw): ports a trace to the node takes to be
   * open, saying so (scenario/hostProcesses.ts). Absent for a node podpath builds.
   */
  hostProcesses?: HostProcess[];
}

/** A port a process on the node's own network listens on, and what that process is. */
export interface HostProcess {
  port: number;
  protocol: Protocol;
  /** `the kubelet`, `hostNetwork pod kube-system/kube-apiserver-cp-1`. */
  what: string;
  /** Bound to 127.0.0.1 only (etcd's --listen-metrics-urls, a --bind-address=127.0.0.1): reached from the node itself, by the loopback. */
  loopbackOnly?: boolean;
  /** A default of the process, not something the input shows (kube-proxy's healthz on 10256 when its flags say nothing). */
  byDefault?: boolean;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
  hostPort?: number;
}

export interface PodSpec {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** spec.nodeName; placed by the scheduler rule when absent. */
  nodeName?: string;
  /** Every container's ports, flattened: a pod listens on all of them. */
  ports: ContainerPort[];
  /** status.podIP; allocated by IPAM when absent, then stored. */
  podIP?: string;
  /** The workload that made this pod (Deployment, StatefulSet, DaemonSet, or a ReplicaSet of its own). */
  ownerKind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';
  ownerName?: string;
  /**
   * status.phase, as a dump of a running cluster gives it. Absent: a pod podpath
   * starts itself, Running. A Pending pod without status.podIP has no address yet;
   * a Succeeded or Failed pod has released its address. Neither is an endpoint.
   */
  phase?: PodPhase;
  /** status.conditions[type=Ready] is False: not a ready endpoint (EndpointSlice `ready: false`). Absent: ready. */
  notReady?: boolean;
  /**
   * TCP ports the containers' liveness, readiness or startup probes connect to that
   * no container declares (coredns' health on 8080): the kubelet checks a process
   * answers there, so podpath takes the pod to listen on them (scenario/probes.ts).
   */
  probePorts?: number[];
  /**
   * Containers a dump's status.containerStatuses shows not running (waiting in
   * CrashLoopBackOff, terminated): no process of theirs listens, so the ports they
   * declare or probe are closed.
   */
  containersDown?: ContainerDown[];
  /** Every container of the pod is down: no process listens anywhere in it (not on a Service's target port either). */
  noContainerRunning?: boolean;
}

/** A container that is not running, and its state as the kubelet reports it. */
export interface ContainerDown {
  container: string;
  /** Its state in status.containerStatuses (not `running`). */
  state: 'waiting' | 'terminated';
  /** The kubelet's reason (CrashLoopBackOff, ImagePullBackOff, Error…), when it gives one. */
  reason?: string;
  /** The ports this container declares or its probes check: closed while it is down. */
  ports: { port: number; protocol: Protocol; probed?: boolean }[];
}

/** status.phase of a pod (v1.PodPhase; Unknown is refused when read). */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * One address:port a file's Endpoints or EndpointSlices give for a Service without
 * a selector (whose endpoints are kept by hand, e.g. default/kubernetes → the API
 * server). Matched to a Service port by port name and protocol, as kube-proxy does.
 */
export interface GivenEndpoint {
  ip: string;
  port: number;
  protocol: Protocol;
  /** The Service port's name it serves ('' for an unnamed port). */
  portName: string;
  /** conditions.ready (or Endpoints' addresses vs notReadyAddresses). */
  ready: boolean;
}

export interface ServicePort {
  name?: string;
  port: number;
  /** A number, or the name of a container port (resolved per pod). */
  targetPort: number | string;
  protocol: Protocol;
  nodePort?: number;
}

export type ServiceType = 'ClusterIP' | 'NodePort';

export interface ServiceSpec {
  namespace: string;
  name: string;
  type: ServiceType;
  /** spec.selector; a Service without one has no endpoints we can compute. */
  selector: Record<string, string>;
  clusterIP?: string;
  ports: ServicePort[];
  /** For a Service without a selector: the endpoints the file's Endpoints/EndpointSlices list. */
  givenEndpoints?: GivenEndpoint[];
  /** spec.publishNotReadyAddresses: pods that are not Ready are endpoints all the same. */
  publishNotReadyAddresses?: boolean;
  /**
   * spec.externalTrafficPolicy: Local (a NodePort Service only; absent: Cluster). Traffic
   * to its NodePort goes only to endpoints on the node it arrived at, with the client's
   * source address kept; a node without one drops it.
   */
  externalTrafficPolicy?: 'Local';
  /** spec.internalTrafficPolicy: Local (absent: Cluster): its ClusterIP goes only to endpoints on the sender's node. */
  internalTrafficPolicy?: 'Local';
}

/** Does any Service's traffic policy make kube-proxy's rules differ from node to node? */
export function hasLocalTrafficPolicy(s: Pick<Scenario, 'services'>): boolean {
  return s.services.some((v) => v.internalTrafficPolicy === 'Local' || (v.externalTrafficPolicy === 'Local' && v.type === 'NodePort'));
}

/** The whole editable cluster. */
export interface Scenario {
  cluster: ClusterSpec;
  namespaces: string[];
  /** Labels a Namespace document gives its namespace (by name; the automatic kubernetes.io/metadata.name is not stored). */
  namespaceLabels?: Record<string, Record<string, string>>;
  nodes: NodeSpec[];
  pods: PodSpec[];
  services: ServiceSpec[];
  /** networking.k8s.io/v1 NetworkPolicies, validated and defaulted (policy/read.ts). */
  networkPolicies?: NetworkPolicy[];
}

/** `namespace/name`, the way kubectl and kube-proxy name namespaced objects. */
export function objectKey(o: { namespace: string; name: string }): string {
  return `${o.namespace}/${o.name}`;
}

/** Does a selector match these labels (every key equal; an empty selector matches nothing). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  return keys.every((k) => labels[k] === selector[k]);
}

export function emptyScenario(cluster: ClusterSpec = DEFAULT_CLUSTER): Scenario {
  return { cluster: { ...cluster }, namespaces: ['default'], nodes: [], pods: [], services: [] };
}
