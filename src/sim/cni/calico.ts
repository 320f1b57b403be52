// calico: Project Calico's datapath, as its CNI plugin, IPAM, felix and BIRD (via
// confd's templates) build it. Facts read from projectcalico/calico v3.31.0:
//   - libcalico-go conversion VethNameForWorkload: the host veth is `cali` + the first
//     11 hex digits of SHA-1("<namespace>.<pod>").
//   - cni-plugin dataplane_linux.go: the pod's eth0 has its address as /32, routes
//     `169.254.1.1 dev eth0 scope link` and `default via 169.254.1.1 dev eth0`; the host
//     end has MAC ee:ee:ee:ee:ee:ee, proxy_arp=1, proxy_delay=0, forwarding=1,
//     route_localnet=1, and the node routes `<podIP> dev caliX scope link`. Nothing
//     holds 169.254.1.1: the host end answers ARP for it by proxy. No bridge: a packet
//     between two pods of one node is routed (its TTL drops by one).
//   - libcalico-go ipam: nodes take /26 blocks (blockSize) of the pool as they need them
//     (ipam.ts beside this file); confd's bird_aggr.cfg gives BIRD `route <block>
//     blackhole` for each own block, which BIRD writes to the kernel `proto bird`.
//   - no encapsulation (calico_backend bird): BIRD's iBGP full mesh (AS 64512) learns
//     the other nodes' blocks, `<block> via <node IP> dev eth0 proto bird`.
//   - VXLAN (felix vxlan_mgr.go, config VXLANVNI 4096, VXLANPort 4789): `vxlan.calico`
//     with the node's tunnel address (the first of its first block) as /32; per remote
//     node a route `<block> via <its tunnel address> dev vxlan.calico onlink`, a
//     permanent neighbour with its VTEP MAC and a `self permanent` FDB entry to its
//     node IP. felix writes these and the blackholes with its route protocol 80
//     (DeviceRouteProtocol boot, so routes to devices print no proto).
//   - IPIP: `tunl0` (MTU 1480), BIRD's routes `via <node IP> dev tunl0 onlink`: this
//     machine's kernel has no IPIP, so podpath models it from Calico's documentation
//     and code and the lab cannot build it.
//   - CrossSubnet encapsulates only toward nodes in another subnet (racks: the
//     Cluster document's nodeNetworks); toward a node on the same one it routes plainly.
//     Without encapsulation across racks, BIRD's routes go via the router (its next hop
//     resolved recursively), which learns no block and drops: no BGPPeer is modelled.
//   - natOutgoing (on in the default pool; the pool may turn it off): felix's nat chain cali-nat-outgoing, from
//     cali-POSTROUTING, masquerades pod traffic leaving the pool. felix matches ipsets
//     (cali40masq-ipam-pools, cali40all-ipam-pools); with one pool each holds just the
//     pool's CIDR, which is what podpath's rule matches.
// Felix's filter chains (cali-FORWARD, policy) are not modelled: with no policy they accept.
import { filterRulesOf } from './daemonRules.ts';
import { boundPlugins } from './boundCache.ts';
import type { ClusterSpec, NodeSpec, PodSpec, Scenario } from '../model.ts';
import { objectKey } from '../model.ts';
import { block, ipText } from '../ipam/addresses.ts';
import { hex, macFor } from '../util/hash.ts';
import { sha1 } from '@noble/hashes/legacy.js';
import { rule } from '../dataplane/iptables.ts';
import type { Device, Route, Rule } from '../dataplane/types.ts';
import { ETHERNET_MTU, VXLAN_MTU } from './mtu.ts';
import { calicoCrossing, calicoPoolOf, felixRoutes, hasTunnelAddress, type CalicoPool } from './calicoPool.ts';
import type { CniPlugin, GatewayToward, HostSide, MacOf, OnThisSegment, PodNetworking, TowardRemotes, Tunnel } from './types.ts';

export const CALICO_GATEWAY = '169.254.1.1';
export const CALICO_VETH_MAC = 'ee:ee:ee:ee:ee:ee';
export const CALICO_VXLAN_DEVICE = 'vxlan.calico';
export const CALICO_VXLAN_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;
export const CALICO_IPIP_DEVICE = 'tunl0';
/** IP-in-IP adds a 20-byte IP header: 1500 - 20. */
export const IPIP_MTU = 1480;
/** The network name of Calico's conflist (10-calico.conflist): portmap's chains hash it. */
export const CALICO_NETWORK = 'k8s-pod-network';
/** BIRD's AS for the node-to-node mesh (BGPConfiguration's default asNumber). */
export const CALICO_AS = 64512;
/** felix's route protocol for blackhole, same-subnet and VXLAN-side routes (dataplanedefs.DefaultRouteProto). */
export const FELIX_ROUTE_PROTO = '80';
export const CALICO_POSTROUTING = 'cali-POSTROUTING';
export const CALICO_NAT_OUTGOING = 'cali-nat-outgoing';
export const CALICO_FIP_SNAT = 'cali-fip-snat';

/** The said fact about IPIP wherever it shows. */
export const IPIP_MODELLED =
  "modelled from Calico's documentation and code, not kernel-checked: this machine's kernel has no IPIP, so the lab cannot build tunl0";

/** The host end of a pod's veth: `cali` + 11 hex digits of SHA-1("namespace.pod"), as Calico's CNI plugin names it. */
export function calicoVethName(pod: { namespace: string; name: string }): string {
  return `cali${hex(sha1(new TextEncoder().encode(`${pod.namespace}.${pod.name}`))).slice(0, 11)}`;
}

/** The blocks a node holds, in the order it took them. */
export const blocksOf = (n: NodeSpec): readonly string[] => n.calicoBlocks ?? [];

/** The node's tunnel address (vxlan.calico's or tunl0's): the first address of its first block, taken when the node started. */
export function calicoTunnelAddress(pool: CalicoPool, n: NodeSpec): string | undefined {
  const first = blocksOf(n)[0];
  return hasTunnelAddress(pool) && first ? ipText(block(first).first) : undefined;
}

/**
 * felix's nat POSTROUTING chains (rules/static.go StaticNATPostroutingChains, v3.31.0):
 * cali-POSTROUTING jumps to cali-fip-snat (floating IPs: none here) and
 * cali-nat-outgoing (natOutgoing: pod traffic leaving the pool), then, for the node's
 * tunnel device when it has an address, masquerades what the host itself sends down the
 * tunnel from another of its addresses (a node's packet to a Service whose endpoint is
 * across the tunnel takes eth0's address as its source: this gives it the tunnel's).
 */
export function calicoNatOutgoing(poolCidr: string, natOutgoing: boolean, tunnelDevice?: string): { chains: string[]; rules: Rule[] } {
  return {
    chains: [CALICO_POSTROUTING, CALICO_FIP_SNAT, CALICO_NAT_OUTGOING],
    rules: [
      rule('POSTROUTING', {}, { kind: 'jump', chain: CALICO_POSTROUTING }),
      rule(CALICO_POSTROUTING, {}, { kind: 'jump', chain: CALICO_FIP_SNAT }),
      rule(CALICO_POSTROUTING, {}, { kind: 'jump', chain: CALICO_NAT_OUTGOING }),
      ...(tunnelDevice ? [rule(CALICO_POSTROUTING, { outInterface: tunnelDevice, notSrcLocalToOut: true, srcTypeLocal: true }, { kind: 'masquerade', randomFully: true })] : []),
      // natOutgoing: false leaves the chain empty (felix renders it from the pools that ask for it).
      ...(natOutgoing ? [rule(CALICO_NAT_OUTGOING, { src: poolCidr, notDst: poolCidr }, { kind: 'masquerade', randomFully: true })] : []),
    ],
  };
}

/** Calico's plugin for one pool's settings. */
function calicoFor(pool: CalicoPool): CniPlugin {
  const crossing = calicoCrossing(pool);
  // felix's determinePodMTU: the smallest MTU of the encapsulations the pool enables (CrossSubnet enables one
  // too, used or not), else the host's (int_dataplane.go, v3.31.0).
  const podMtu = pool.vxlanMode !== 'Never' ? VXLAN_MTU : pool.ipipMode !== 'Never' ? IPIP_MTU : ETHERNET_MTU;
  const byFelix = felixRoutes(pool);
  const blackholeProto = byFelix ? FELIX_ROUTE_PROTO : 'bird';
  const tunnel: Tunnel | undefined =
    pool.vxlanMode !== 'Never' ? { device: CALICO_VXLAN_DEVICE, vni: CALICO_VXLAN_VNI, port: CALICO_VXLAN_PORT, mtu: VXLAN_MTU, address: (n) => calicoTunnelAddress(pool, n) } : undefined;
  const plugin: CniPlugin = {
    mode: 'calico',
    title: `Calico: routed /32 pods, ${crossing === 'bgp' ? 'BGP (BIRD) routes between nodes' : crossing === 'vxlan' ? 'VXLAN between nodes' : 'IP-in-IP between nodes (modelled)'}`,
    addressing: 'ipam-blocks',
    noBridgeSaid: "each pod's veth is routed by the node (/32 routes)",
    podMtu,
    networkName: CALICO_NETWORK,
    podPlugin: 'written',
    eth0ArpIgnore: false,
    vpcFabric: false,
    portmap: true,
    networkPolicy: 'felix',
    // felix's chains load with the walk, show and the lab (./daemonRules.ts).
    filterRules: (s: Scenario, pods: readonly PodSpec[], vethOf: (p: PodSpec) => string) => filterRulesOf('felix')(s, pods, vethOf),
    calico: pool,
    hostVethName: calicoVethName,
    masquerades: () => pool.natOutgoing,
    masqueradeRules: (c: ClusterSpec, n: NodeSpec) => calicoNatOutgoing(c.podCIDR, pool.natOutgoing, calicoTunnelAddress(pool, n) ? (pool.vxlanMode !== 'Never' ? CALICO_VXLAN_DEVICE : CALICO_IPIP_DEVICE) : undefined),
    clusterPodRange: (c: ClusterSpec) => c.podCIDR,
    nodePodRange: (c: ClusterSpec) => c.podCIDR,
    podResultSubnet: (pod: PodSpec) => `${pod.podIP}/32`,
    nodeDevices(n: NodeSpec): Device[] {
      const address = calicoTunnelAddress(pool, n);
      if (!address || !n.internalIP) return [];
      if (pool.vxlanMode !== 'Never') {
        return [{ name: CALICO_VXLAN_DEVICE, kind: 'vxlan', mac: macFor(`${n.name}/${CALICO_VXLAN_DEVICE}`), mtu: VXLAN_MTU, addresses: [{ ip: address, prefixLength: 32 }], vxlan: { vni: CALICO_VXLAN_VNI, dstport: CALICO_VXLAN_PORT, local: n.internalIP, dev: 'eth0' } }];
      }
      // IPIP has no link-layer address: `ip link` shows link/ipip 0.0.0.0.
      return [{ name: CALICO_IPIP_DEVICE, kind: 'ipip', mac: '00:00:00:00:00:00', mtu: IPIP_MTU, addresses: [{ ip: address, prefixLength: 32 }] }];
    },
    tunnel,
    hostSide(_s: Scenario, _node: NodeSpec, pod: PodSpec, veth: string): HostSide {
      // felix writes a permanent neighbour for the pod on its cali device (routetable's static ARP entries, endpoint_mgr's DestMAC).
      const neighbour = { ip: pod.podIP!, dev: veth, mac: macFor(`${objectKey(pod)}/eth0`), by: "felix's static ARP entry" };
      return { addresses: [], mac: CALICO_VETH_MAC, proxyArp: true, routeLocalnet: true, route: { dst: `${pod.podIP}/32`, dev: veth, scope: 'link' }, neighbour };
    },
    podNetworking(_s: Scenario, node: NodeSpec, pod: PodSpec, veth: string): PodNetworking {
      return {
        devices: [{ name: 'eth0', kind: 'veth', mac: macFor(`${objectKey(pod)}/eth0`), mtu: podMtu, addresses: [{ ip: pod.podIP!, prefixLength: 32 }], peer: { netns: node.name, device: veth } }],
        routes: [
          { dst: 'default', via: CALICO_GATEWAY, dev: 'eth0' },
          { dst: `${CALICO_GATEWAY}/32`, dev: 'eth0', scope: 'link' },
        ],
      };
    },
    towardRemotes(node: NodeSpec, remotes: readonly NodeSpec[], macOf: MacOf, onSegment: OnThisSegment, gatewayToward: GatewayToward): TowardRemotes {
      const out: TowardRemotes = { routes: [], neighbours: [], fdb: [] };
      for (const b of blocksOf(node)) out.routes.push({ dst: b, dev: 'lo', type: 'blackhole', proto: blackholeProto });
      for (const r of remotes) {
        if (!r.internalIP) continue;
        const vtep = tunnel ? calicoTunnelAddress(pool, r) : undefined;
        const vtepMac = vtep ? macOf(r.name, CALICO_VXLAN_DEVICE) : undefined;
        // CrossSubnet: encapsulated only toward a node on another rack (subnet), plainly routed on this one.
        const other = !onSegment(r);
        const enc = crossing !== 'bgp' ? crossing : other && pool.vxlanMode === 'CrossSubnet' ? 'vxlan' : other && pool.ipipMode === 'CrossSubnet' ? 'ipip' : 'bgp';
        for (const b of blocksOf(r)) {
          if (enc === 'vxlan') {
            if (vtep) out.routes.push({ dst: b, via: vtep, dev: CALICO_VXLAN_DEVICE, onlink: true });
          } else if (enc === 'ipip') out.routes.push({ dst: b, via: r.internalIP, dev: CALICO_IPIP_DEVICE, proto: 'bird', onlink: true });
          // No encapsulation (or CrossSubnet within one subnet): BIRD's or felix's plain route. Toward a
          // node on another rack, BIRD's mesh session crosses the router (iBGP is multihop) and its
          // `gateway recursive` resolves the next hop through the node's own default route: via the router,
          // which learns no block (no BGPPeer here) and so drops the packet.
          else {
            const gateway = gatewayToward(r);
            out.routes.push({ dst: b, via: gateway ?? r.internalIP, dev: 'eth0', proto: byFelix ? FELIX_ROUTE_PROTO : 'bird', ...(gateway ? { bgpNextHop: r.internalIP } : {}) });
          }
        }
        if (vtep && vtepMac) {
          out.neighbours.push({ ip: vtep, dev: CALICO_VXLAN_DEVICE, mac: vtepMac });
          out.fdb.push({ mac: vtepMac, dev: CALICO_VXLAN_DEVICE, dst: r.internalIP });
        }
      }
      return out;
    },
    routesLearnedByBgp: !byFelix,
    devicesMissingHere: () =>
      pool.ipipMode !== 'Never'
        ? { code: 'no-ipip-in-kernel', said: `ipipMode ${pool.ipipMode} needs tunl0, and this machine's kernel has no IPIP (no module can be loaded): the lab cannot build it. podpath models IPIP from Calico's documentation and code; set ipipMode: Never (with vxlanMode Always, or neither for BGP) to build the cluster here` }
        : undefined,
  };
  return plugin;
}

const calicoForPool = boundPlugins((pool: CalicoPool) => `${pool.ipipMode}|${pool.vxlanMode}|${pool.blockSize}|${pool.natOutgoing}`, calicoFor);

/** The plugin for a cluster's pool (cached: the compile asks per node). */
export function calicoOf(c: Pick<ClusterSpec, 'calico'>): CniPlugin {
  return calicoForPool(calicoPoolOf(c));
}

/** Registered under its mode: the default pool's plugin, bound to each cluster's pool by cniOf. */
export const calico: CniPlugin = {
  ...calicoOf({}),
  title: "Calico: routed /32 pods on cali veths, no bridge; BGP, VXLAN or IP-in-IP (modelled) between nodes, as its IPPool says",
  bind: calicoOf,
};
