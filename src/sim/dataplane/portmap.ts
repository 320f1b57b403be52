// The CNI portmap plugin: a pod's hostPort, on its own node only.
//   PREROUTING/OUTPUT (dst-type LOCAL) → CNI-HOSTPORT-DNAT → CNI-DN-<id> → DNAT podIP:containerPort
//   sources in the pod subnet (hairpin) and localhost are marked 0x2000 and MASQUERADEd in CNI-HOSTPORT-MASQ.
//   portmap appends its PREROUTING/OUTPUT jumps but prepends the POSTROUTING one (so
//   the bridge and ptp plugins' masquerade rules cannot stomp on it).
import type { PodSpec } from '../model.ts';

import { hex, sha512 } from '../util/hash.ts';
import { rule } from './iptables.ts';
import type { Rule } from './types.ts';

export const PORTMAP_MASQ_MARK = 0x2000;

/** The container ID the lab gives a pod's sandbox (the runtime's would be random). */
export const containerIdOf = (pod: PodSpec) => `pp-${pod.namespace}-${pod.name}`;

/** portmap names the per-container chain `CNI-DN-` + sha512(network name + container ID) in hex, cut to 28 characters. */
export function dnatChainOf(network: string, pod: PodSpec): string {
  return `CNI-DN-${hex(sha512(new TextEncoder().encode(network + containerIdOf(pod)))).slice(0, 21)}`;
}

export interface PortmapRules {
  chains: string[];
  rules: Rule[];
}

/** portmap's nat rules on a node, for the pods there that have hostPorts. */
export function portmapRules(network: string, podsOnNode: PodSpec[], podSubnet: string | ((pod: PodSpec) => string)): PortmapRules {
  const withHostPorts = podsOnNode.filter((p) => p.podIP && p.ports.some((x) => x.hostPort));
  if (withHostPorts.length === 0) return { chains: [], rules: [] };
  const rules: Rule[] = [
    rule('PREROUTING', { dstTypeLocal: true }, { kind: 'jump', chain: 'CNI-HOSTPORT-DNAT' }),
    rule('OUTPUT', { dstTypeLocal: true }, { kind: 'jump', chain: 'CNI-HOSTPORT-DNAT' }),
    rule('POSTROUTING', { comment: 'CNI portfwd requiring masquerade' }, { kind: 'jump', chain: 'CNI-HOSTPORT-MASQ' }),
    rule('CNI-HOSTPORT-MASQ', { mark: { value: PORTMAP_MASQ_MARK, mask: PORTMAP_MASQ_MARK, negate: false } }, { kind: 'masquerade' }),
    rule('CNI-HOSTPORT-SETMARK', { comment: 'CNI portfwd masquerade mark' }, { kind: 'mark', setXmark: '0x2000/0x2000' }),
  ];
  const chains = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK'];
  for (const pod of withHostPorts) {
    const chain = dnatChainOf(network, pod);
    chains.push(chain);
    for (const proto of ['tcp', 'udp'] as const) {
      const mapped = pod.ports.filter((x) => x.hostPort && x.protocol.toLowerCase() === proto);
      if (mapped.length === 0) continue;
      rules.push(
        rule(
          'CNI-HOSTPORT-DNAT',
          { proto, comment: `dnat name: "${network}" id: "${containerIdOf(pod)}"`, dports: mapped.map((x) => x.hostPort!) },
          { kind: 'jump', chain },
        ),
      );
      for (const m of mapped) {
        rules.push(
          // The subnet of the pod's own address in the CNI result (a /32 for Calico's pods).
          rule(chain, { src: typeof podSubnet === 'string' ? podSubnet : podSubnet(pod), proto, dport: m.hostPort }, { kind: 'jump', chain: 'CNI-HOSTPORT-SETMARK' }),
          rule(chain, { src: '127.0.0.1', proto, dport: m.hostPort }, { kind: 'jump', chain: 'CNI-HOSTPORT-SETMARK' }),
          rule(chain, { proto, dport: m.hostPort }, { kind: 'dnat', to: `${pod.podIP}:${m.containerPort}` }),
        );
      }
    }
  }
  return { chains, rules };
}

