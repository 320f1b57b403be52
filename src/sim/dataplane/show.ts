// A netns printed the way `ip -br addr`, `ip route` and `iptables-save -t nat` /
// `-t filter` print it. (What packets taught it, `ip neigh`, `bridge fdb`, `conntrack -L`,
// is the trace's: trace/remembered.ts.)
// The table builders the first view does not load (felix's chains, kube-proxy's nftables table).
import './tables.ts';
import { podStateText, wantsAddress } from '../podStatus.ts';
import { fail, ok, type Result } from '../errors.ts';
import { nftList } from '../proxy/nftablesText.ts';
import type { Dataplane } from './compile.ts';
import { iptablesSave } from './iptables.ts';
import type { Device, Netns, Route, TcProgram } from './types.ts';
import { IPIP_MODELLED } from '../cni/calico.ts';
import { endpointsUnknown } from './endpointSlices.ts';

/** One line of `ip route`, e.g. `10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink`. */
export function routeText(r: Route): string {
  const dst = r.dst.endsWith('/32') ? r.dst.slice(0, -3) : r.dst;
  // `blackhole 10.244.0.0/26 proto bird`: no device, no next hop.
  if (r.type === 'blackhole') return [r.type, dst, ...(r.proto ? [`proto ${r.proto}`] : [])].join(' ');
  const parts = [dst];
  if (r.via) parts.push(`via ${r.via}`);
  parts.push(`dev ${r.dev}`);
  if (r.proto) parts.push(`proto ${r.proto}`);
  if (r.scope) parts.push(`scope ${r.scope}`);
  if (r.src) parts.push(`src ${r.src}`);
  if (r.onlink) parts.push('onlink');
  if (r.linkdown) parts.push('linkdown');
  // Metrics come after the flags.
  if (r.mtu !== undefined) parts.push(`mtu ${r.mtu}`);
  return parts.join(' ');
}

function operState(ns: Netns, d: Device): string {
  if (d.kind === 'loopback' || d.kind === 'vxlan' || d.kind === 'ipip') return 'UNKNOWN';
  // A bridge without ports has no carrier (NO-CARRIER, state DOWN), though it is set up.
  if (d.kind === 'bridge' && !ns.devices.some((x) => x.master === d.name)) return 'DOWN';
  return 'UP';
}

/** `ip -br addr` (IPv4 only: the lab disables IPv6): NAME[@ifPEER'S INDEX] STATE ADDRESSES. */
export function briefAddresses(dp: Dataplane, ns: Netns): string {
  return ns.devices
    .map((d) => {
      let name = d.name;
      // An IPIP device with no underlying link prints as tunl0@NONE.
      if (d.kind === 'ipip') name += '@NONE';
      // A veth whose peer is in the same netns is shown by the peer's name (cilium_host@cilium_net).
      if (d.peer && d.peer.netns === ns.name) name += `@${d.peer.device}`;
      else if (d.peer) {
        const peerIndex = dp.netns(d.peer.netns)?.devices.findIndex((x) => x.name === d.peer!.device);
        if (peerIndex !== undefined && peerIndex >= 0) name += `@if${peerIndex + 1}`;
      }
      // iproute2 ends every field, the last address too, with a space.
      const addrs = d.addresses.map((a) => `${a.ip}/${a.prefixLength} `).join('');
      return `${name.padEnd(16)} ${operState(ns, d).padEnd(14)} ${addrs}`;
    })
    .join('\n') + '\n';
}

export function routesText(ns: Netns): string {
  // `ip route` ends every line with a space.
  return ns.routes.map((r) => `${routeText(r)} \n`).join('');
}

/** What in this netns is modelled rather than kernel-checked (a tunl0: this kernel has no IPIP), or undefined. */
function modelledNote(ns: Netns): string | undefined {
  const ipip = ns.devices.find((d) => d.kind === 'ipip');
  return ipip ? `${ipip.name} and the routes through it are ${IPIP_MODELLED}` : undefined;
}

/**
 * Services in no kube-proxy rule of podpath's: no selector and no endpoints in the input
 * (default/kubernetes, whose endpoints are the API server's). A real kube-proxy writes
 * rules for them; podpath cannot, and says so rather than leave them out silently.
 */
function unknownEndpointsNote(dp: Dataplane): string | undefined {
  const left = dp.scenario.services.filter((v) => v.clusterIP && v.clusterIP !== 'None' && endpointsUnknown(v));
  if (!left.length) return undefined;
  const named = left.slice(0, 3).map((v) => `${v.namespace}/${v.name} (${v.clusterIP})`).join(', ') + (left.length > 3 ? ` and ${left.length - 3} more` : '');
  return `${named} ${left.length === 1 ? 'is' : 'are'} in none of kube-proxy's rules below: no selector, and the input gives no endpoints (for default/kubernetes, the API server's), so podpath cannot write the rules a real kube-proxy has for ${left.length === 1 ? 'it' : 'them'}`;
}

export interface ShownNetns {
  /** What is modelled, not kernel-checked, in this netns (no tool prints it: podpath's own word). */
  note?: string;
  /** `ip -br addr` */
  addr: string;
  /** `ip route` */
  route: string;
  /** `iptables-save -t nat` */
  nat: string;
  /** `iptables-save -t filter` */
  filter: string;
  /** `nft list table ip kube-proxy`, on a node whose kube-proxy mode writes an nftables table. */
  nft?: string;
  /** The eBPF programs attached at tc (Cilium's), a line per attachment; absent where there are none. */
  tc?: string;
}

/** The eBPF programs at tc in a netns, one line per attachment, as tcLine names them. */
export function tcText(ns: Netns): string | undefined {
  const lines: string[] = [];
  for (const d of ns.devices) {
    if (d.tc?.ingress) lines.push(tcLine(d.name, d.tc.ingress, 'ingress'));
    if (d.tc?.egress) lines.push(tcLine(d.name, d.tc.egress, 'egress'));
  }
  return lines.length ? lines.map((l) => `${l}\n`).join('') : undefined;
}

/** One tc attachment: device, hook, program (and the object file it is built from). */
export function tcLine(dev: string, program: TcProgram, direction: 'ingress' | 'egress'): string {
  return `${dev} tc/${direction} ${program.name} (${program.source})`;
}

export function show(dp: Dataplane, name: string): Result<ShownNetns> {
  const ns = dp.netns(name);
  const addressless = ns ? undefined : dp.podOf(name);
  if (addressless && !addressless.podIP && !wantsAddress(addressless)) {
    return fail([{ document: 'netns', field: name, reason: `pod ${name} has no network namespace with an address to show: ${podStateText(addressless)}` }]);
  }
  if (!ns) {
    const known = dp.netnsNames();
    const sample = known.slice(0, 8).join(', ') + (known.length > 8 ? `, … (${known.length} in all)` : '');
    return fail([{ document: 'netns', field: name, reason: `no such network namespace; known: ${sample}` }]);
  }
  const nftables = ns.kind === 'node' ? dp.kubeProxyRules(ns.name).nftables : undefined;
  const note = [modelledNote(ns), ns.kind === 'node' ? unknownEndpointsNote(dp) : undefined].filter(Boolean).join('; ') || undefined;
  const tc = tcText(ns);
  return ok({ addr: briefAddresses(dp, ns), route: routesText(ns), nat: iptablesSave(ns.nat), filter: iptablesSave(ns.filter), ...(nftables ? { nft: nftList(nftables.ruleset(ns)) } : {}), ...(tc ? { tc } : {}), ...(note ? { note } : {}) });
}
