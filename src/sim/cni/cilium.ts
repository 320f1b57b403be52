// cilium: Cilium's datapath in tunnel mode, as its agent and CNI plugin build a node and
// its eBPF programs move packets. Read from cilium/cilium (see the facts below, each with
// where it was read); podpath models, and the lab checks with its own small programs:
//   - IPAM mode `kubernetes`: pods take addresses from the node's spec.podCIDR. Cilium's
//     allocator picks free addresses at random; podpath gives cilium_host (the "router
//     IP") the podCIDR's .1 and pods .2 onwards in order, as host-local would.
//   - Node: the veth pair cilium_host/cilium_net (NOARP both), the router IP as /32 on
//     cilium_host; cilium_vxlan in collect-metadata mode (UDP 8472): the programs give
//     each packet its remote (bpf_skb_set_tunnel_key). No bridge, no cni0.
//   - Pod: eth0 with its address as /32, routes `<router IP> dev eth0 scope link` and
//     `default via <router IP> dev eth0 mtu 1450`; the host end `lxc…` has no address.
//   - The node routes the router IP on-link on cilium_host and every podCIDR via it (`proto
//     kernel`; the other nodes' with the tunnel's `mtu 1450`): what the host stack sends
//     toward pods meets cil_from_host at cilium_host's tc egress.
//   - eBPF at tc: cil_from_container (bpf_lxc.c) on each lxc's ingress, cil_from_host
//     (bpf_host.c) on cilium_host's egress, cil_from_overlay (bpf_overlay.c) on
//     cilium_vxlan's ingress. Each looks the destination up in cilium_lxc (this node's
//     endpoints: delivered by redirect, the TTL decremented, MACs rewritten) and in
//     cilium_ipcache (another node's pod: the tunnel endpoint is that node); anything
//     else goes on to the host's stack (TC_ACT_OK) — out of the tunnel, to the host by
//     ipv4_host_delivery. cil_to_host, cil_to_overlay, cil_from_netdev and cil_to_netdev
//     sit where Cilium attaches them and let podpath's packets through (legacy host
//     routing: cil_from_netdev hands even a local pod's packet to the stack).
//   - kubeProxyReplacement: socket-LB (bpf_sock.c cil_sock4_connect at cgroup
//     connect4) rewrites a ClusterIP at connect() from cilium_lb4_services_v2 and
//     cilium_lb4_backends_v3: no DNAT on the wire, no kube-proxy rules.
//   - Masquerade (enableIPv4Masquerade, iptables-based: bpf.masquerade is off by
//     default): CILIUM_POST_nat, as installMasqueradeRules writes it (ciliumMasquerade).
import type { ClusterSpec, NodeSpec, PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { block, blockContains, ipNumber, ipText } from '../ipam/addresses.ts';
import { hex, macFor } from '../util/hash.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { rule } from '../dataplane/iptables.ts';
import type { Device, Route, Rule, TcProgram } from '../dataplane/types.ts';
import { ETHERNET_MTU, VXLAN_MTU } from './mtu.ts';
import { ciliumConfigOf, type CiliumConfig } from './ciliumConfig.ts';
import { boundPlugins } from './boundCache.ts';
import type { CniPlugin, HostSide, MacOf, OnThisSegment, PodNetworking, TowardRemotes, Tunnel } from './types.ts';

export const CILIUM_HOST = 'cilium_host';
export const CILIUM_NET = 'cilium_net';
export const CILIUM_VXLAN = 'cilium_vxlan';
/** Cilium's VXLAN port (Helm tunnelPort: 8472 for vxlan). */
export const CILIUM_VXLAN_PORT = 8472;
/** The CNI network name in 05-cilium.conflist. */
export const CILIUM_NETWORK = 'cilium';
export const CILIUM_POST_NAT = 'CILIUM_POST_nat';
/** The agent's ipset of every node's address: pod traffic to a node is not masqueraded. */
export const CILIUM_NODE_SET = 'cilium_node_set_v4';

export const FROM_CONTAINER: TcProgram = { name: 'cil_from_container', source: 'bpf_lxc.c' };
export const FROM_HOST: TcProgram = { name: 'cil_from_host', source: 'bpf_host.c' };
/** At tc ingress of cilium_host and of cilium_net (what the host receives from Cilium's side). */
export const TO_HOST: TcProgram = { name: 'cil_to_host', source: 'bpf_host.c' };
export const FROM_OVERLAY: TcProgram = { name: 'cil_from_overlay', source: 'bpf_overlay.c' };
export const TO_OVERLAY: TcProgram = { name: 'cil_to_overlay', source: 'bpf_overlay.c' };
/** bpf_host.c's program at tc ingress of the node's own device (eth0), in both routing modes. */
export const FROM_NETDEV: TcProgram = { name: 'cil_from_netdev', source: 'bpf_host.c' };
/** At tc egress of eth0: attached when Cilium's NodePort is on (kubeProxyReplacement). */
export const TO_NETDEV: TcProgram = { name: 'cil_to_netdev', source: 'bpf_host.c' };
/**
 * The programs that, on every path podpath models, let the packet through unchanged
 * (TC_ACT_OK): in legacy host routing cil_from_netdev hands what it receives to the
 * stack, and the others do work (NodePort, the host firewall, proxy redirects) podpath
 * does not model.
 */
export const PASS_ONLY: readonly TcProgram[] = [TO_HOST, TO_OVERLAY, FROM_NETDEV, TO_NETDEV];
export const SOCK4_CONNECT = { name: 'cil_sock4_connect', source: 'bpf_sock.c', attach: 'cgroup/connect4' } as const;

/** What every eBPF hop says about how far it is checked. */
export const EBPF_MODELLED =
  "modelled from Cilium's source; the lab checks it with podpath's own small eBPF programs that do the same (the TTL, the redirect, the rewritten connect), not Cilium's";

/**
 * The host end's name, as pkg/datapath/connector Endpoint2IfName makes it: `lxc` + the
 * first 12 hex digits (IFNAMSIZ 16 - len("tmp") - 1) of SHA-256 of the endpoint's
 * container ID (podpath's container ID is `pp-<namespace>-<name>`, as for portmap).
 */
export function ciliumVethName(pod: { namespace: string; name: string }): string {
  return `lxc${hex(sha256(new TextEncoder().encode(`pp-${pod.namespace}-${pod.name}`))).slice(0, 12)}`;
}

/** cilium_host's address, the pods' gateway (the "router IP"): podpath takes the podCIDR's .1. */
export function ciliumRouterIP(n: NodeSpec): string | undefined {
  return n.podCIDR ? ipText(block(n.podCIDR).first + 1) : undefined;
}

/**
 * Security identities: Cilium gives each distinct set of a pod's labels (with its
 * namespace) a number from 256 up, cluster-wide; its allocator picks the numbers, so a
 * real cluster's differ. podpath numbers the sets from 256 in the order pods first show them.
 */
const identities = new WeakMap<Scenario, Map<string, number>>();
export function ciliumIdentity(s: Scenario, pod: PodSpec): number {
  let ids = identities.get(s);
  if (!ids) {
    ids = new Map();
    for (const p of s.pods) {
      const k = identityKey(p);
      if (!ids.has(k)) ids.set(k, 256 + ids.size);
    }
    identities.set(s, ids);
  }
  return ids.get(identityKey(pod)) ?? 256;
}
const identityKey = (p: PodSpec) => `${p.namespace}|${Object.entries(p.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',')}`;
/** Cilium's reserved identity of the node itself (traffic from the host). */
export const HOST_IDENTITY = 1;
/**
 * The identity a node's own packets carry through the tunnel (encap.h: `if (seclabel ==
 * HOST_ID) seclabel = LOCAL_NODE_ID`): GetLocalNodeID(), remote-node (6) by default, so
 * the receiving node sees them as from a remote node.
 */
export const LOCAL_NODE_ID = 6;
/** Cilium's reserved identity of any address outside the cluster's endpoints and nodes. */
export const WORLD_IDENTITY = 2;

/**
 * CILIUM_POST_nat, as the agent's installMasqueradeRules writes it (iptables masquerading,
 * pkg/datapath/iptables/iptables.go): the ipset exclusion only without tunnelling
 * (NodeIpsetNeeded); the catch-all MASQUERADE of the node's pods, except toward the node's
 * own podCIDR in tunnel mode or the native-routing CIDR in native mode (podpath takes
 * ipv4NativeRoutingCIDR to be the cluster's pod range); proxy return traffic left alone;
 * in tunnel mode the host's packets into cilium_host from another address SNATed to the
 * router IP; the host's 127.0.0.1; hairpin traffic a local pod's DNAT sent back.
 */
export function ciliumMasquerade(cluster: ClusterSpec, n: NodeSpec, nodes: readonly NodeSpec[] = []): { chains: string[]; rules: Rule[] } {
  const router = ciliumRouterIP(n);
  if (!n.podCIDR || !router) return { chains: [], rules: [] };
  const tunnelling = ciliumConfigOf(cluster).routingMode === 'tunnel';
  const nodeIPs = nodes.map((x) => x.internalIP).filter((ip): ip is string => ip !== undefined);
  const alloc = n.podCIDR;
  return {
    chains: [CILIUM_POST_NAT],
    rules: [
      rule('POSTROUTING', { comment: 'cilium-feeder: CILIUM_POST_nat' }, { kind: 'jump', chain: CILIUM_POST_NAT }),
      // Native routing: pods' traffic to a node (any node's address, in the agent's ipset) keeps the pod's address.
      ...(tunnelling ? [] : [rule(CILIUM_POST_NAT, { src: alloc, dstSet: { name: CILIUM_NODE_SET, members: nodeIPs }, comment: 'exclude traffic to cluster nodes from masquerade' }, { kind: 'accept' })]),
      rule(CILIUM_POST_NAT, { src: alloc, notDst: tunnelling ? alloc : cluster.podCIDR, notOutInterface: 'cilium_+', comment: 'cilium masquerade non-cluster' }, { kind: 'masquerade' }),
      rule(CILIUM_POST_NAT, { mark: { value: 0xa00, mask: 0xe00, negate: false }, comment: 'exclude proxy return traffic from masquerade' }, { kind: 'accept' }),
      ...(tunnelling ? [rule(CILIUM_POST_NAT, { notSrc: alloc, notDst: alloc, outInterface: CILIUM_HOST, comment: 'cilium host->cluster masquerade' }, { kind: 'snat', to: router })] : []),
      rule(CILIUM_POST_NAT, { src: '127.0.0.1', outInterface: CILIUM_HOST, comment: 'cilium host->cluster from 127.0.0.1 masquerade' }, { kind: 'snat', to: router }),
      rule(CILIUM_POST_NAT, { outInterface: CILIUM_HOST, mark: { value: 0xf00, mask: 0xf00, negate: false }, ctstateDnat: true, comment: 'hairpin traffic that originated from a local pod' }, { kind: 'snat', to: router }),
    ],
  };
}

function ciliumFor(config: CiliumConfig): CniPlugin {
  const podMtu = ETHERNET_MTU;
  const native = config.routingMode === 'native';
  // pkg/mtu GetRouteMTU: the device's MTU less the tunnel's overhead in tunnel mode, the device's own in native mode.
  const routeMtu = native ? ETHERNET_MTU : VXLAN_MTU;
  const tunnel: Tunnel | undefined = native ? undefined : { device: CILIUM_VXLAN, vni: 'identity', port: CILIUM_VXLAN_PORT, mtu: ETHERNET_MTU, address: () => undefined };
  const plugin: CniPlugin = {
    mode: 'cilium',
    title: `Cilium: eBPF at tc on lxc veths, no bridge; ${native ? 'native routing between nodes (autoDirectNodeRoutes)' : 'VXLAN between nodes'}${config.kubeProxyReplacement ? '; socket-LB instead of kube-proxy' : ''}`,
    addressing: 'node-podcidr',
    noBridgeSaid: "eBPF at each lxc's tc ingress",
    podGatewayDevice: CILIUM_HOST,
    podMtu,
    networkName: CILIUM_NETWORK,
    podPlugin: 'written',
    eth0ArpIgnore: false,
    vpcFabric: false,
    portmap: false,
    networkPolicy: 'cilium-ebpf',
    cilium: config,
    ebpf: { programs: 'cilium', hubble: true, ...(config.kubeProxyReplacement ? { socketLb: SOCK4_CONNECT } : {}) },
    hostVethName: ciliumVethName,
    masquerades: () => true,
    masqueradeRules: ciliumMasquerade,
    clusterPodRange: (c: ClusterSpec) => c.podCIDR,
    nodePodRange: (c: ClusterSpec, n: NodeSpec) => n.podCIDR ?? c.podCIDR,
    podResultSubnet: (pod: PodSpec) => `${pod.podIP}/32`,
    ...(tunnel ? { tunnel } : {}),
    // bpf_host.c on the node's own device in both modes; cil_to_netdev only where Cilium's NodePort is on.
    eth0Tc: { ingress: FROM_NETDEV, ...(config.kubeProxyReplacement ? { egress: TO_NETDEV } : {}) },
    nodeDevices(n: NodeSpec): Device[] {
      const router = ciliumRouterIP(n);
      if (!router || !n.internalIP) return [];
      return [
        { name: CILIUM_NET, kind: 'veth', mac: macFor(`${n.name}/${CILIUM_NET}`), mtu: ETHERNET_MTU, addresses: [], noarp: true, peer: { netns: n.name, device: CILIUM_HOST }, tc: { ingress: TO_HOST } },
        { name: CILIUM_HOST, kind: 'veth', mac: macFor(`${n.name}/${CILIUM_HOST}`), mtu: ETHERNET_MTU, addresses: [{ ip: router, prefixLength: 32 }], noarp: true, peer: { netns: n.name, device: CILIUM_NET }, tc: { ingress: TO_HOST, egress: FROM_HOST } },
        ...(native ? [] : [{ name: CILIUM_VXLAN, kind: 'vxlan', mac: macFor(`${n.name}/${CILIUM_VXLAN}`), mtu: ETHERNET_MTU, addresses: [], vxlan: { vni: 0, dstport: CILIUM_VXLAN_PORT, local: n.internalIP, dev: 'eth0', external: true }, tc: { ingress: FROM_OVERLAY, egress: TO_OVERLAY } } satisfies Device]),
      ];
    },
    hostSide(): HostSide {
      // No address and no per-pod route: the node routes the whole podCIDR to cilium_host.
      return { addresses: [], tcIngress: FROM_CONTAINER };
    },
    podNetworking(_s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): PodNetworking {
      const router = ciliumRouterIP(node)!;
      return {
        devices: [{ name: 'eth0', kind: 'veth', mac: macFor(`${objectKey(pod)}/eth0`), mtu: podMtu, addresses: [{ ip: pod.podIP!, prefixLength: 32 }], peer: { netns: node.name, device: veth } }],
        routes: [
          { dst: 'default', via: router, dev: 'eth0', mtu: routeMtu },
          { dst: `${router}/32`, dev: 'eth0', scope: 'link' },
        ],
      };
    },
    towardRemotes(node: NodeSpec, remotes: readonly NodeSpec[], _macOf: MacOf, onSegment: OnThisSegment): TowardRemotes {
      const out: TowardRemotes = { routes: [], neighbours: [], fdb: [] };
      const router = ciliumRouterIP(node);
      if (!router) return out;
      // pkg/datapath/linux/node.go: the router IP on-link, and each podCIDR via it; only the
      // other nodes' take the route MTU (the tunnel's), the node's own keeps the device's.
      const via = (dst: string, mtu?: number): Route => ({ dst, via: router, dev: CILIUM_HOST, proto: 'kernel', src: router, ...(mtu ? { mtu } : {}) });
      out.routes.push({ dst: `${router}/32`, dev: CILIUM_HOST, proto: 'kernel', scope: 'link' });
      out.routes.push(via(node.podCIDR!));
      for (const r of remotes) {
        if (!r.podCIDR) continue;
        if (!native) out.routes.push(via(r.podCIDR, routeMtu));
        // autoDirectNodeRoutes: the other node's podCIDR via its own address, which must be on-link (one L2 segment).
        else if (r.internalIP && onSegment(r)) out.routes.push({ dst: r.podCIDR, via: r.internalIP, dev: 'eth0', proto: 'kernel' });
        // createDirectRouteSpec: the agent itself refuses a node reached through a gateway ("must be directly reachable").
        else if (r.internalIP) (out.notOnLink ??= []).push({ dst: r.podCIDR, via: r.internalIP, remote: r.name, by: "Cilium's autoDirectNodeRoutes", refusedBy: 'cilium-agent' });
      }
      return out;
    },
  };
  return plugin;
}

const ciliumForConfig = boundPlugins((c: CiliumConfig) => `${c.routingMode}|${c.tunnelProtocol}|${c.kubeProxyReplacement}|${c.autoDirectNodeRoutes}`, ciliumFor);

/** The plugin for a cluster's Helm values (cached: the compile asks per node). */
export function ciliumOf(c: Pick<ClusterSpec, 'cilium'>): CniPlugin {
  return ciliumForConfig(ciliumConfigOf(c));
}

export const cilium: CniPlugin = {
  ...ciliumOf({}),
  title: 'Cilium: eBPF programs at tc on lxc veths (no bridge), VXLAN between nodes, socket-LB with kubeProxyReplacement',
  bind: ciliumOf,
};

/** Whether an address is in a node's podCIDR (for callers asking without a dataplane). */
export const inPodCIDR = (n: NodeSpec, ip: string) => n.podCIDR !== undefined && blockContains(block(n.podCIDR), ipNumber(ip));
