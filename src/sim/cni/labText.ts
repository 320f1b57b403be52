// What the lab script's header says it writes itself, where the CNI's own plugin cannot run
// here (podPlugin `written`): loaded with the lab, not the first view.
import type { CniMode } from './modes.ts';
import type { CniPlugin } from './types.ts';

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
