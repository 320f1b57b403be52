// kube-proxy in iptables mode: the nat and filter rules it writes on every node.
//
//   PREROUTING/OUTPUT → KUBE-SERVICES ─ ClusterIP:port → KUBE-SVC-<hash>
//                                    └ (last) dst-type LOCAL → KUBE-NODEPORTS → KUBE-EXT-<hash> → KUBE-SVC-<hash>
//   KUBE-SVC-<hash>: endpoint i of n with probability 1/(n-i), the last unconditional → KUBE-SEP-<hash>
//   KUBE-SEP-<hash>: DNAT --to-destination podIP:targetPort
//   KUBE-MARK-MASQ marks 0x4000; POSTROUTING → KUBE-POSTROUTING MASQUERADEs marked packets.
//   A Service port without endpoints: REJECT in the filter table's KUBE-SERVICES.
// The chain names are kube-proxy's: base32(sha256(servicePortName + protocol))[:16].
import type { Scenario } from '../model.ts';
import { kubeProxyHash } from '../util/hash.ts';
import { endpointsOf, endpointString, servicePortName } from './endpoints.ts';
import { rule } from './iptables.ts';
import type { Rule, Table } from './types.ts';

export const MASQ_MARK = 0x4000;

export interface KubeProxyTables {
  nat: Table;
  filter: Table;
}

/** The cluster CIDR kube-proxy treats as "local" (--cluster-cidr): traffic from outside it is masqueraded. */
export function kubeProxyClusterCIDR(s: Scenario): string {
  return s.cluster.cni === 'vpc' ? s.cluster.nodeNetwork : s.cluster.podCIDR;
}

export function kubeProxyRules(s: Scenario): KubeProxyTables {
  const clusterCIDR = kubeProxyClusterCIDR(s);
  const nat: Rule[] = [
    rule('PREROUTING', { comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
    rule('OUTPUT', { comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
    rule('POSTROUTING', { comment: 'kubernetes postrouting rules' }, { kind: 'jump', chain: 'KUBE-POSTROUTING' }),
    rule('KUBE-MARK-MASQ', {}, { kind: 'mark', setXmark: '0x4000/0x4000' }),
    rule('KUBE-POSTROUTING', { mark: { value: MASQ_MARK, mask: MASQ_MARK, negate: true } }, { kind: 'return' }),
    rule('KUBE-POSTROUTING', {}, { kind: 'mark', setXmark: '0x4000/0x0' }),
    rule('KUBE-POSTROUTING', { comment: 'kubernetes service traffic requiring SNAT' }, { kind: 'masquerade', randomFully: true }),
  ];
  const filter: Rule[] = [
    rule('INPUT', { ctstateNew: true, comment: 'kubernetes externally-visible service portals' }, { kind: 'jump', chain: 'KUBE-EXTERNAL-SERVICES' }),
    rule('FORWARD', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
    rule('OUTPUT', { ctstateNew: true, comment: 'kubernetes service portals' }, { kind: 'jump', chain: 'KUBE-SERVICES' }),
  ];
  const serviceChains: string[] = [];
  const natServices: Rule[] = [];
  const perService: Rule[] = [];
  const nodePorts: Rule[] = [];

  for (const svc of s.services) {
    if (!svc.clusterIP || svc.clusterIP === 'None') continue;
    for (const sp of svc.ports) {
      const name = servicePortName(svc, sp);
      const proto = sp.protocol === 'TCP' ? 'tcp' : 'udp';
      const hash = kubeProxyHash(name + proto);
      const svcChain = `KUBE-SVC-${hash}`;
      const extChain = `KUBE-EXT-${hash}`;
      const endpoints = endpointsOf(s, svc, sp);
      if (endpoints.length === 0) {
        filter.push(rule('KUBE-SERVICES', { dst: svc.clusterIP, proto, comment: `${name} has no endpoints`, dport: sp.port }, { kind: 'reject' }));
        if (svc.type === 'NodePort' && sp.nodePort) {
          filter.push(rule('KUBE-EXTERNAL-SERVICES', { proto, comment: `${name} has no endpoints`, dstTypeLocal: true, dport: sp.nodePort }, { kind: 'reject' }));
        }
        continue;
      }
      natServices.push(rule('KUBE-SERVICES', { dst: svc.clusterIP, proto, comment: `${name} cluster IP`, dport: sp.port }, { kind: 'jump', chain: svcChain }));
      serviceChains.push(svcChain);
      if (svc.type === 'NodePort' && sp.nodePort) {
        serviceChains.push(extChain);
        nodePorts.push(rule('KUBE-NODEPORTS', { proto, comment: name, dport: sp.nodePort }, { kind: 'jump', chain: extChain }));
        perService.push(
          rule(extChain, { comment: `masquerade traffic for ${name} external destinations` }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }),
          rule(extChain, {}, { kind: 'jump', chain: svcChain }),
        );
      }
      perService.push(rule(svcChain, { notSrc: clusterCIDR, dst: svc.clusterIP, proto, comment: `${name} cluster IP`, dport: sp.port }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }));
      endpoints.forEach((ep, i) => {
        const sepChain = `KUBE-SEP-${kubeProxyHash(name + proto + endpointString(ep))}`;
        serviceChains.push(sepChain);
        const remaining = endpoints.length - i;
        perService.push(
          rule(svcChain, { comment: `${name} -> ${endpointString(ep)}`, ...(remaining > 1 ? { probability: 1 / remaining } : {}) }, { kind: 'jump', chain: sepChain }),
          rule(sepChain, { src: ep.ip, comment: name }, { kind: 'jump', chain: 'KUBE-MARK-MASQ' }),
          rule(sepChain, { proto, comment: name, protoModule: true }, { kind: 'dnat', to: endpointString(ep) }),
        );
      });
    }
  }
  nat.push(...nodePorts, ...natServices);
  nat.push(
    rule(
      'KUBE-SERVICES',
      { comment: 'kubernetes service nodeports; NOTE: this must be the last rule in this chain', dstTypeLocal: true },
      { kind: 'jump', chain: 'KUBE-NODEPORTS' },
    ),
  );
  nat.push(...perService);
  const natChains = ['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES', ...serviceChains];
  return {
    nat: { name: 'nat', chains: natChains.map((name) => ({ name })), rules: nat },
    filter: { name: 'filter', chains: ['KUBE-EXTERNAL-SERVICES', 'KUBE-SERVICES'].map((name) => ({ name })), rules: filter },
  };
}
