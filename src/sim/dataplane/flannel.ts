// flanneld's masquerade rules (--ip-masq, as kube-flannel.yml runs it), from
// flannel-io/flannel pkg/trafficmngr/iptables (masqRules), on each node:
//   POSTROUTING (appended, so after kube-proxy's prepended KUBE-POSTROUTING) → FLANNEL-POSTRTG:
//     kube-proxy's mark 0x4000 → RETURN (KUBE-POSTROUTING masquerades those)
//     this node's lease → the cluster network: RETURN (pod to pod is not NATed)
//     the cluster network → this node's lease: RETURN
//     from outside the cluster network → this node's lease: RETURN
//     from the cluster network to anywhere but multicast: MASQUERADE --random-fully
//     from outside to the cluster network (the host into the overlay): MASQUERADE --random-fully
// Every rule carries the comment "flanneld masq". Both of flannel's backends
// (vxlan and host-gw: the same conflist, cbr0) run flanneld; the CNI plugin says
// whether its cluster has these rules (CniPlugin.masquerades).
import { MASQ_MARK } from './kubeProxy.ts';
import { rule } from './iptables.ts';
import type { Rule } from './types.ts';

export const FLANNEL_MASQ_CHAIN = 'FLANNEL-POSTRTG';
const COMMENT = 'flanneld masq';
const MULTICAST = '224.0.0.0/4';

/** FLANNEL-POSTRTG for a node whose lease (podCIDR) is `lease`, in a cluster network `network`. */
export function flannelMasqRules(network: string, lease: string): { chains: string[]; rules: Rule[] } {
  const chain = FLANNEL_MASQ_CHAIN;
  const masquerade = { kind: 'masquerade', randomFully: true } as const;
  const back = { kind: 'return' } as const;
  return {
    chains: [chain],
    rules: [
      rule('POSTROUTING', { comment: COMMENT }, { kind: 'jump', chain }, 'cni-masquerade'),
      rule(chain, { mark: { value: MASQ_MARK, mask: MASQ_MARK, negate: false }, comment: COMMENT }, back, 'cni-masquerade'),
      rule(chain, { src: lease, dst: network, comment: COMMENT }, back, 'cni-masquerade'),
      rule(chain, { src: network, dst: lease, comment: COMMENT }, back, 'cni-masquerade'),
      rule(chain, { notSrc: network, dst: lease, comment: COMMENT }, back, 'cni-masquerade'),
      rule(chain, { src: network, notDst: MULTICAST, comment: COMMENT }, masquerade, 'cni-masquerade'),
      rule(chain, { notSrc: network, dst: network, comment: COMMENT }, masquerade, 'cni-masquerade'),
    ],
  };
}
