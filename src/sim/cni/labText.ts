// The lab's part of each CNI plugin: the CNI config a node runs its pods' plugin with, what
// the step installing the routes toward the other nodes does, and what the script's header
// says it writes itself where the CNI's own plugin cannot run here (podPlugin `written`).
// A Record over the modes (a mode without its lab part does not compile), loaded with the
// lab, not the first view.
import type { NodeSpec, Scenario } from '../model.ts';
import type { CniMode } from './modes.ts';
import type { CniPlugin } from './types.ts';
import { CALICO_NETWORK } from './calico.ts';
import { CILIUM_NETWORK } from './cilium.ts';

export interface LabPart {
  /** The CNI config the pod plugin is run with on this node. */
  config(p: CniPlugin, s: Scenario, node: NodeSpec, dataDir: string): string;
  /** The lab script's step that installs towardRemotes, in a few words. */
  remotesSaid(p: CniPlugin): string;
}

/**
 * The bridge plugin's network config as flannel's CNI plugin hands it over: kube-flannel.yml's
 * delegate (`hairpinMode`, `isDefaultGateway`: the pod's default route via cni0's .1),
 * plus what the plugin fills in from subnet.env: `ipMasq` false (flanneld --ip-masq
 * masquerades; podpath's `ipMasq: false` stands for a delegate that says false too),
 * the MTU, `isGateway`, and host-local over the node's subnet with the cluster network
 * as its one route. The bridge plugin names the bridge cni0 by default.
 */
export function flannelBridgeConfig(network: string, subnet: string, clusterNetwork: string, dataDir: string, mtu: number): string {
  const ipam = { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: clusterNetwork }], dataDir };
  return JSON.stringify({ cniVersion: '1.0.0', name: network, type: 'bridge', hairpinMode: true, isDefaultGateway: true, ipMasq: false, mtu, isGateway: true, ipam });
}

/** ptp + host-local over the node network, default route via the host end (.1). */
export function ptpConfig(network: string, subnet: string, dataDir: string): string {
  const ipam = { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: '0.0.0.0/0' }], dataDir };
  return JSON.stringify({ cniVersion: '1.0.0', name: network, type: 'ptp', ipMasq: false, ipam });
}

const flannel = (p: CniPlugin, s: Scenario, node: NodeSpec, dataDir: string) => flannelBridgeConfig(p.networkName, node.podCIDR ?? '', s.cluster.podCIDR, dataDir, p.podMtu);

export const LAB_PARTS: Readonly<Record<CniMode, LabPart>> = {
  'bridge-hostgw': { config: flannel, remotesSaid: () => "host-gw routes to the other nodes' podCIDRs" },
  'flannel-vxlan': { config: flannel, remotesSaid: () => "flannel's routes, neighbours and FDB entries for the other nodes" },
  vpc: { config: (p, s, _node, dataDir) => ptpConfig(p.networkName, s.cluster.nodeNetwork, dataDir), remotesSaid: () => 'nothing: the VPC fabric carries packets between nodes' },
  calico: {
    // Calico's conflist, for the record: the lab cannot run the calico and calico-ipam
    // plugins (they need the datastore), so it writes what they would.
    config: (p) => JSON.stringify({ name: CALICO_NETWORK, cniVersion: '0.3.1', plugins: [{ type: 'calico', mtu: p.podMtu, ipam: { type: 'calico-ipam' } }, { type: 'portmap', snat: true, capabilities: { portMappings: true } }] }),
    remotesSaid: (p) => (p.routesLearnedByBgp ? "nothing written: BIRD learns the other nodes' blocks over BGP and installs the blackholes for its own" : "felix's routes, neighbours and FDB entries for the other nodes' blocks, and blackholes for its own"),
  },
  cilium: {
    // 05-cilium.conflist, for the record: cilium-cni asks the agent, which cannot run here,
    // so the lab writes what it would.
    config: () => JSON.stringify({ cniVersion: '0.3.1', name: CILIUM_NETWORK, plugins: [{ type: 'cilium-cni', enable_debug: false }] }),
    remotesSaid: () => "the agent's routes for every podCIDR via cilium_host (the programs pick the tunnel endpoint)",
  },
};

const WRITTEN: Partial<Record<CniMode, (p: CniPlugin) => string[]>> = {
  calico: (p) => [
    "Calico's CNI plugin (calico + calico-ipam) cannot run here: it needs Calico's",
    "datastore. The lab writes what it would: each pod's eth0 with the address",
    "podpath's block IPAM gave it, as /32, routes via 169.254.1.1, and the host end",
    'cali… with MAC ee:ee:ee:ee:ee:ee, proxy_arp=1, proxy_delay=0, forwarding=1 and the',
    "route to the pod. That is how Calico's IPAM looks from the kernel: addresses",
    'written, not picked by host-local.',
    ...(!p.routesLearnedByBgp ? [] : ['The routes between nodes are not written: real BIRD (bird2) runs in each node', "netns with Calico's configuration and learns them over BGP."]),
  ],
  cilium: (p) => [
    "Cilium's agent and CNI plugin cannot run here (they need the agent's maps and a",
    "Kubernetes API). The lab writes the devices they would make: cilium_host/cilium_net",
    '(NOARP), cilium_vxlan in collect-metadata mode, each pod\'s eth0 as /32 with routes',
    'via cilium_host\'s address, the host end lxc… with no address. Cilium\'s eBPF',
    "programs are not run: podpath's own small programs (C, built here with clang) do",
    'what podpath says they do, at the same hooks: tc ingress of every lxc, tc egress of',
    "cilium_host, tc ingress of cilium_vxlan",
    ...(p.cilium?.kubeProxyReplacement ? ["and, for socket-LB, cgroup/connect4 on the lab's own cgroup (no kube-proxy rules)."] : ['(kube-proxy runs as usual).']),
    'Needs clang, libbpf-dev, bpftool and tc (apt-get install clang libbpf-dev bpftool iproute2).',
  ],
};

export function labWrittenSaid(p: CniPlugin): string[] {
  return WRITTEN[p.mode]?.(p) ?? [];
}
