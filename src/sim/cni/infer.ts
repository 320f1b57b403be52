// Which CNI a dump's cluster runs, as far as its objects show it (scenario/inferCluster.ts
// reads them), and which of podpath's modes models it, with the sentence that says so.
import type { ClusterSpec } from '../model.ts';
import { cniOf } from './index.ts';
import type { CniMode } from './modes.ts';
import type { CalicoPool } from './calicoPool.ts';

/** What the objects show: flannel's backend annotations on nodes, and CNI agents' pods or DaemonSets. */
export interface CniEvidence {
  /** Each flannel backend-type and the nodes annotated with it. */
  flannel: ReadonlyMap<string, string[]>;
  /** Each CNI agent ('aws-node', 'calico-node', 'cilium', 'kindnet') and the pod or DaemonSet that shows it. */
  agents: ReadonlyMap<string, string>;
  /** Calico's enabled IPv4 IPPool objects, and how many nodes BlockAffinity objects give blocks to. */
  calicoPools?: readonly { name: string; cidr: string; pool: CalicoPool; natOutgoing: boolean }[];
  calicoAffinityNodes?: number;
}

/** The CNIs podpath tells by their agents' pods or DaemonSets (one per node), in the namespaces their installers use. */
export type Agent = 'calico-node' | 'cilium' | 'kindnet' | 'aws-node';
export const AGENTS: { agent: Agent; daemonSet: string; podPrefix: string; namespaces: string[]; notPods?: string[] }[] = [
  { agent: 'aws-node', daemonSet: 'aws-node', podPrefix: 'aws-node-', namespaces: ['kube-system'] },
  // The Tigera operator installs Calico in calico-system; the manifests in kube-system.
  { agent: 'calico-node', daemonSet: 'calico-node', podPrefix: 'calico-node-', namespaces: ['kube-system', 'calico-system'] },
  // cilium-operator's pods share the prefix, and are no agent.
  { agent: 'cilium', daemonSet: 'cilium', podPrefix: 'cilium-', namespaces: ['kube-system', 'cilium'], notPods: ['cilium-operator-'] },
  { agent: 'kindnet', daemonSet: 'kindnet', podPrefix: 'kindnet-', namespaces: ['kube-system'] },
];

/** podpath's mode for a cluster whose CNI nothing shows: its plainest. */
export const CNI_WITHOUT_FINDING: CniMode = 'bridge-hostgw';
export const CNI_WITHOUT_FINDING_SAID =
  "cni bridge-hostgw, not a finding: nothing shows the CNI (no flannel annotations on the nodes, no calico-node, cilium, kindnet or aws-node pods); bridge-hostgw is podpath's plainest model (a route to each node, no encapsulation)";

/** The annotation flanneld writes the backend under. */
export const FLANNEL_BACKEND_TYPE = 'backend-type';

const few = (xs: string[]) => (xs.length > 4 ? `${xs.slice(0, 4).join(', ')} and ${xs.length - 4} more` : xs.join(', '));

const NOT_FLANNELS_MASQUERADE =
  "; the model's masquerade rules are flanneld's (chain FLANNEL-POSTRTG in nat POSTROUTING, as `podpath show` prints them), and the input shows no flanneld: the cluster's own masquerade rules (kindnet's, Calico's natOutgoing, ip-masq-agent's, if any) are not modelled";

/** The clause to add when the model masquerades as flanneld does and the input shows no flanneld; else ''. */
export function masqueradeCaveat(seen: CniEvidence, cluster: ClusterSpec): string {
  // Only where the model's masquerade rules are flanneld's (a CNI with its own, Calico's natOutgoing, has them modelled).
  return seen.flannel.size === 0 && cniOf(cluster).masquerades(cluster) && !cniOf(cluster).masqueradeRules ? NOT_FLANNELS_MASQUERADE : '';
}

/** The CNI podpath models this cluster with, and the sentence that says why (and what differs). */
export function inferCni(seen: CniEvidence): { cni: CniMode; said: string; calicoPool?: { cidr: string; pool: CalicoPool } } | undefined {
  const vpc = seen.agents.get('aws-node');
  if (vpc) return { cni: 'vpc', said: `cni vpc: ${vpc} is the AWS VPC CNI (pods take addresses of the nodes' own network)` };
  const backends = [...seen.flannel.keys()];
  const flannelNodes = [...seen.flannel.values()].flat();
  const calico = seen.agents.get('calico-node');
  const cilium = seen.agents.get('cilium');
  const kindnet = seen.agents.get('kindnet');
  if (backends.length) {
    const from = `flannel's ${FLANNEL_BACKEND_TYPE} annotation on ${few(flannelNodes)}`;
    // Canal: Calico for policy, flannel for the network; the flannel annotations say how packets cross.
    const canal = calico ? ` (${calico} is Calico alongside flannel, as Canal runs it: its policies are not modelled)` : '';
    if (backends.length > 1) return { cni: 'bridge-hostgw', said: `cni bridge-hostgw, not a finding: the nodes disagree on flannel's backend (${backends.join(', ')}, from ${from}); podpath models one backend for the whole cluster${canal}` };
    if (backends[0] === 'vxlan') return { cni: 'flannel-vxlan', said: `cni flannel-vxlan: ${from} says vxlan${canal}` };
    if (backends[0] === 'host-gw') return { cni: 'bridge-hostgw', said: `cni bridge-hostgw (flannel's host-gw backend): ${from} says host-gw${canal}` };
    return {
      cni: 'bridge-hostgw',
      said: `cni bridge-hostgw, not a finding: flannel's ${JSON.stringify(backends[0])} backend (from ${from}) is not modelled; podpath models the cluster as flannel host-gw (routes to each node, no encapsulation), so traces across nodes differ${canal}`,
    };
  }
  // Calico's own objects say how it runs: its IPPool and the nodes' blocks (BlockAffinity).
  const pool = seen.calicoPools?.[0];
  if (pool && (seen.calicoAffinityNodes ?? 0) > 0) {
    const others = (seen.calicoPools?.length ?? 1) > 1 ? `; podpath models one pool, so the other${seen.calicoPools!.length > 2 ? 's' : ''} (${seen.calicoPools!.slice(1).map((p) => p.name).join(', ')}) are left out` : '';
    return { cni: 'calico', calicoPool: pool, said: `cni calico: IPPool ${pool.name} (cidr ${pool.cidr}, ipipMode ${pool.pool.ipipMode}, vxlanMode ${pool.pool.vxlanMode}, blockSize ${pool.pool.blockSize}, natOutgoing ${pool.pool.natOutgoing}) and BlockAffinity objects for ${seen.calicoAffinityNodes} node(s) show Calico's configuration${calico ? ` (${calico} runs it)` : ''}${others}` };
  }
  if (calico) return { cni: 'bridge-hostgw', said: `cni bridge-hostgw, not a finding: ${calico} shows this cluster runs Calico; podpath models it as bridge-hostgw (a route to each node, no encapsulation, pods on a cni0 bridge), so traces differ: Calico's pods have their own cali* veths with /32 routes, and its routes (BGP, IP-in-IP or VXLAN) depend on its IPPool and block affinities, which a dump does not hold; podpath's calico mode models them when a Cluster document says \`cni: calico\` with the pool's \`calico: {ipipMode, vxlanMode, blockSize}\`` };
  if (cilium) return { cni: 'flannel-vxlan', said: `cni flannel-vxlan, not a finding: ${cilium} shows this cluster runs Cilium; podpath models it as flannel-vxlan (a VXLAN tunnel between nodes, as Cilium's default tunnel mode), so traces differ: Cilium's eBPF programs, lxc devices and Service handling are not in this model; a dump does not show Cilium's settings (its IPAM mode, routing mode, kubeProxyReplacement), and podpath's cilium mode models IPAM mode kubernetes (pods from each node's spec.podCIDR) in tunnel mode: say \`cni: cilium\` with \`cilium: {kubeProxyReplacement: …}\` in a Cluster document if that is how the cluster runs` };
  if (kindnet) return { cni: 'bridge-hostgw', said: `cni bridge-hostgw, not a finding: ${kindnet} shows kind's kindnet, which routes each node's podCIDR to that node as host-gw does, but gives each pod its own veth with a /32 route (the ptp plugin) rather than a cni0 bridge, and masquerades with its own rules; podpath models it as bridge-hostgw, so hops inside a node differ` };
  return undefined;
}
