// A dump has no podpath.dev/v1alpha1 Cluster document: what it holds says most of
// one. Each field is read from the objects, and the warning says what was inferred
// and from what, and where the dump proves only a lower bound:
//
//   podCIDR           the smallest range holding every node's spec.podCIDR (the
//                     controller manager's --cluster-cidr holds them all; a known
//                     distribution's default when it holds them)
//   nodeCIDRMaskSize  the nodes' podCIDR prefix (--node-cidr-mask-size)
//   serviceCIDR       starts just below the `kubernetes` Service's ClusterIP (the API
//                     server gives that Service the range's first address) and holds
//                     every ClusterIP (a known default that starts there and holds them)
//   nodeNetwork       the /24 (or wider) holding every node's InternalIP
//   cni               flannel's node annotations (backend-type), the CNI's own pods
//                     (calico-node, cilium, kindnet, aws-node), else podpath's plainest
//                     mode (cni/infer.ts)
//
// A Cluster document in the input is used instead, field by field: what it sets is
// used, what it leaves out is inferred as above (inferOmittedFields).
import { DEFAULT_CLUSTER, type ClusterSpec, type NodeSpec, type PodSpec, type ServiceSpec } from '../model.ts';
import { calicoAffinities, calicoPools, type SeenPool } from './calicoObjects.ts';
import { AGENTS, CNI_WITHOUT_FINDING, CNI_WITHOUT_FINDING_SAID, FLANNEL_BACKEND_TYPE, inferCni, masqueradeCaveat, type Agent } from '../cni/infer.ts';
import { cniOf } from '../cni/index.ts';
import type { PodpathWarning } from '../errors.ts';
import { addressProblem, block, cidrProblem, ipNumber, ipText } from '../ipam/addresses.ts';
import { FIRST_NODE_HOST } from '../ipam/index.ts';
import { argvOf, containersOf, flag } from './containerSpec.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the parser read, and the documents it read it from (the CNI's own pods are hostNetwork, so only there). */
export interface DumpContents {
  docs: Obj[];
  nodes: NodeSpec[];
  pods: PodSpec[];
  services: ServiceSpec[];
}

/** A range as two address numbers and a prefix length. */
interface Range {
  first: number;
  prefix: number;
}
const size = (prefix: number) => 2 ** (32 - prefix);
const lastOf = (r: Range) => r.first + size(r.prefix) - 1;
const cidrText = (r: Range) => `${ipText(r.first)}/${r.prefix}`;
const aligned = (n: number, prefix: number) => n % size(prefix) === 0;
const rangeOf = (cidr: string): Range => {
  const b = block(cidr);
  return { first: b.first, prefix: b.prefixLength };
};
const contains = (outer: Range, inner: Range) => outer.first <= inner.first && lastOf(inner) <= lastOf(outer);

/** The block one bit shorter that holds this one. */
function widen(r: Range): Range {
  const prefix = r.prefix - 1;
  return { first: Math.floor(r.first / size(prefix)) * size(prefix), prefix };
}

/** The smallest CIDR block holding every address from `low` to `high`. */
function supernet(low: number, high: number): Range {
  let prefix = 32;
  while (prefix > 0 && Math.floor(low / size(prefix)) !== Math.floor(high / size(prefix))) prefix--;
  return { first: Math.floor(low / size(prefix)) * size(prefix), prefix };
}

/** Where a cluster came from, as far as its nodes and pods tell: it decides which defaults are believable. */
type Distribution = 'k3s' | 'kind' | 'eks' | 'kubeadm';
const DISTRIBUTION_NAMES: Record<Distribution, string> = { k3s: 'k3s', kind: 'kind', eks: 'EKS', kubeadm: 'kubeadm' };

/**
 * Ranges distributions use unless told otherwise; used only when one holds what the
 * dump shows (and, for Services, starts where the `kubernetes` Service says it does).
 */
const POD_RANGE_DEFAULTS: { cidr: string; who: string; of?: Distribution }[] = [
  { cidr: '10.42.0.0/16', who: "k3s's default", of: 'k3s' },
  { cidr: '10.244.0.0/16', who: "kind's default", of: 'kind' },
  { cidr: '10.244.0.0/16', who: "flannel's default (kube-flannel.yml's Network)" },
];
const SERVICE_RANGE_DEFAULTS: { cidr: string; who: string; of?: Distribution }[] = [
  { cidr: '10.43.0.0/16', who: "k3s's default", of: 'k3s' },
  { cidr: '10.96.0.0/16', who: "kind's default", of: 'kind' },
  { cidr: '10.100.0.0/16', who: "EKS's default", of: 'eks' },
  { cidr: '172.20.0.0/16', who: "EKS's default", of: 'eks' },
  { cidr: '10.96.0.0/12', who: "kubeadm's default" },
];

/**
 * A distribution's default that holds the range the dump shows; with `sameStart`, one
 * that also starts where it does. (Node podCIDRs may have been handed out from
 * anywhere in the range as nodes came and went; a service range's start is known.)
 */
function believableDefault(shown: Range, defaults: typeof POD_RANGE_DEFAULTS, distribution: Distribution, sameStart: boolean): { range: Range; who: string } | undefined {
  for (const d of defaults) {
    if (d.of !== undefined && d.of !== distribution) continue;
    const range = rangeOf(d.cidr);
    if ((!sameStart || range.first === shown.first) && contains(range, shown)) return { range, who: d.who };
  }
  return undefined;
}

/** What the dump itself proves of a default range taken for the cluster's. */
const proves = (taken: Range, shown: Range) => (shown.prefix === taken.prefix ? 'the dump needs all of it' : `the dump proves only ${cidrText(shown)}`);

const few = (xs: string[]) => (xs.length > 4 ? `${xs.slice(0, 4).join(', ')} and ${xs.length - 4} more` : xs.join(', '));

// ---- what the objects say about the CNI -------------------------------------------------

/** flanneld's node annotations (flannel-io/flannel pkg/subnet/kube/annotations.go), under its default --kube-annotation-prefix. */
const FLANNEL_PREFIX = 'flannel.alpha.coreos.com/';
const FLANNEL_SUBNET_MANAGER = 'kube-subnet-manager';

/** A node's flannel backend: under the default prefix, or any prefix flanneld also wrote kube-subnet-manager under. */
function flannelBackend(annotations: Obj): string | undefined {
  const direct = annotations[FLANNEL_PREFIX + FLANNEL_BACKEND_TYPE];
  if (typeof direct === 'string') return direct;
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.endsWith(FLANNEL_BACKEND_TYPE) || typeof value !== 'string') continue;
    const prefix = key.slice(0, -FLANNEL_BACKEND_TYPE.length);
    if (prefix.includes('/') && annotations[prefix + FLANNEL_SUBNET_MANAGER] !== undefined) return value;
  }
  return undefined;
}

interface Seen {
  /** Each flannel backend-type and the nodes annotated with it. */
  flannel: Map<string, string[]>;
  /** Each CNI agent and the pod or DaemonSet that shows it. */
  agents: Map<Agent, string>;
  calicoPools: SeenPool[];
  calicoAffinityNodes: number;
  distribution: Distribution;
  /** Why the distribution was taken to be what it is. */
  distributionFrom?: string;
  /**
   * The ranges the control plane's own flags give, where a kube-system pod shows them:
   * kube-controller-manager's and kube-proxy's --cluster-cidr, kube-apiserver's
   * --service-cluster-ip-range, kube-controller-manager's --node-cidr-mask-size.
   */
  flags: Map<RangeFlag, { value: string; from: string }>;
}

type RangeFlag = 'cluster-cidr' | 'service-cluster-ip-range' | 'node-cidr-mask-size';
const RANGE_FLAGS: readonly RangeFlag[] = ['cluster-cidr', 'service-cluster-ip-range', 'node-cidr-mask-size'];

/** `--NAME=V` or `--NAME V` in a kube-system pod's (or DaemonSet's) containers: the first found wins. */
function readRangeFlags(doc: Obj, meta: { name: string; namespace: string }, into: Seen['flags']): void {
  if (meta.namespace !== 'kube-system' || (doc.kind !== 'Pod' && doc.kind !== 'DaemonSet')) return;
  const spec = isObj(doc.spec) ? doc.spec : {};
  const podSpec = doc.kind === 'Pod' ? spec : isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
  for (const c of containersOf(podSpec)) {
    const argv = argvOf(c);
    const process = typeof c.name === 'string' ? c.name : 'a container';
    for (const name of RANGE_FLAGS) {
      if (into.has(name)) continue;
      // A dual-stack flag lists an IPv4 and an IPv6 range: podpath models the IPv4 one.
      const v4 = flag(argv, name)?.split(',').find((x) => !x.includes(':'));
      if (v4) into.set(name, { value: v4.trim(), from: `${process}'s --${name} in ${doc.kind} ${meta.namespace}/${meta.name}` });
    }
  }
}

function metaOf(doc: Obj): { name: string; namespace: string; labels: Obj; annotations: Obj } {
  const m = isObj(doc.metadata) ? doc.metadata : {};
  return {
    name: typeof m.name === 'string' ? m.name : '',
    namespace: typeof m.namespace === 'string' ? m.namespace : 'default',
    labels: isObj(m.labels) ? m.labels : {},
    annotations: isObj(m.annotations) ? m.annotations : {},
  };
}

function look(docs: Obj[]): Seen {
  const seen: Seen = { flannel: new Map(), agents: new Map(), distribution: 'kubeadm', flags: new Map(), calicoPools: calicoPools(docs), calicoAffinityNodes: calicoAffinities(docs).size };
  for (const doc of docs) {
    const meta = metaOf(doc);
    readRangeFlags(doc, meta, seen.flags);
    if (doc.kind === 'Node') {
      const backend = flannelBackend(meta.annotations);
      if (backend !== undefined) seen.flannel.set(backend, [...(seen.flannel.get(backend) ?? []), meta.name]);
      const status = isObj(doc.status) ? doc.status : {};
      const info = isObj(status.nodeInfo) ? status.nodeInfo : {};
      const kubelet = typeof info.kubeletVersion === 'string' ? info.kubeletVersion : '';
      if (seen.distribution === 'kubeadm' && (kubelet.includes('+k3s') || meta.labels['node.kubernetes.io/instance-type'] === 'k3s')) {
        seen.distribution = 'k3s';
        seen.distributionFrom = `node ${meta.name}'s ${kubelet.includes('+k3s') ? `kubelet ${kubelet}` : 'instance-type label k3s'}`;
      }
      if (seen.distribution === 'kubeadm' && kubelet.includes('-eks-')) {
        seen.distribution = 'eks';
        seen.distributionFrom = `node ${meta.name}'s kubelet ${kubelet}`;
      }
    }
    for (const a of AGENTS) {
      if (seen.agents.has(a.agent) || !a.namespaces.includes(meta.namespace)) continue;
      const isPod = doc.kind === 'Pod' && meta.name.startsWith(a.podPrefix) && !a.notPods?.some((prefix) => meta.name.startsWith(prefix));
      const isSet = doc.kind === 'DaemonSet' && meta.name === a.daemonSet;
      if (isPod || isSet) seen.agents.set(a.agent, `${doc.kind} ${meta.namespace}/${meta.name}`);
    }
  }
  if (seen.distribution === 'kubeadm' && seen.agents.has('kindnet')) {
    seen.distribution = 'kind';
    seen.distributionFrom = seen.agents.get('kindnet');
  }
  if (seen.distribution === 'kubeadm' && seen.agents.has('aws-node')) {
    seen.distribution = 'eks';
    seen.distributionFrom = seen.agents.get('aws-node');
  }
  return seen;
}

// ---- the ranges -----------------------------------------------------------------------

/** The least and greatest of many numbers, in a loop: Math.min(...xs) over 150,000 pods' addresses overflows the call stack. */
function lowHigh(xs: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const x of xs) {
    if (x < low) low = x;
    if (x > high) high = x;
  }
  return [low, high];
}

const validAddresses = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined && addressProblem(x) === undefined);

/**
 * A flag's range, when it is a CIDR holding `shown`; else, when the dump has the flag,
 * why it is not used (a flag that does not hold the cluster's own addresses is a
 * misconfiguration worth saying: a kube-proxy --cluster-cidr that is not the pods'
 * range masquerades the wrong traffic).
 */
function flagRange(flags: Seen['flags'], name: RangeFlag, shown: Range, what: string): { range: Range; from: string } | { unused: string } | undefined {
  const flag = flags.get(name);
  if (!flag) return undefined;
  if (cidrProblem(flag.value) !== undefined) return { unused: `${flag.from} is ${JSON.stringify(flag.value)}, not a CIDR: not used` };
  const range = rangeOf(flag.value);
  if (range.first <= shown.first && lastOf(range) >= lastOf(shown)) return { range, from: flag.from };
  return { unused: `${flag.from} is ${flag.value}, which does not hold ${what}: not used (the cluster's own configuration disagrees with its addresses, which is worth checking)` };
}

function inferPodRange(nodes: NodeSpec[], distribution: Distribution, flags: Seen['flags'] = new Map()): { podCIDR: string; mask: number; said: string[] } | undefined {
  const withCidr = nodes.filter((n) => n.podCIDR !== undefined && cidrProblem(n.podCIDR) === undefined);
  if (!withCidr.length) return undefined;
  const ranges = withCidr.map((n) => rangeOf(n.podCIDR!));
  const shown = supernet(lowHigh(ranges.map((r) => r.first))[0], lowHigh(ranges.map(lastOf))[1]);
  // The mask size new nodes get: the nodes' own; the most common one when they differ.
  const counts = new Map<number, number>();
  for (const r of ranges) counts.set(r.prefix, (counts.get(r.prefix) ?? 0) + 1);
  const mask = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
  const from = `every node's spec.podCIDR (${few(withCidr.map((n) => n.podCIDR!))})`;
  const said: string[] = [];
  // The cluster's own flag says the range outright; a distribution's default only guesses it.
  const flaggedOrNot = flagRange(flags, 'cluster-cidr', shown, `every node's spec.podCIDR (${cidrText(shown)})`);
  const flagged = flaggedOrNot && 'range' in flaggedOrNot ? flaggedOrNot : undefined;
  const unusedFlag = flaggedOrNot && 'unused' in flaggedOrNot ? `; ${flaggedOrNot.unused}` : '';
  if (flagged) {
    const maskFlag = flags.get('node-cidr-mask-size');
    const flaggedMask = maskFlag && /^\d+$/.test(maskFlag.value) && Number(maskFlag.value) === mask ? `, as ${maskFlag.from} says` : '';
    return { podCIDR: cidrText(flagged.range), mask, said: [`podCIDR ${cidrText(flagged.range)}: ${flagged.from}, which holds ${from}`, `nodeCIDRMaskSize ${mask}: the nodes' podCIDR prefix${flaggedMask}${counts.size > 1 ? `; the nodes' podCIDRs differ in size (${[...counts.keys()].map((p) => `/${p}`).join(', ')}), new nodes get /${mask}` : ''}`] };
  }
  const known = believableDefault(shown, POD_RANGE_DEFAULTS, distribution, false);
  if (known) said.push(`podCIDR ${cidrText(known.range)}: ${known.who}, which holds ${from}; ${proves(known.range, shown)}${unusedFlag}`);
  else said.push(`podCIDR ${cidrText(shown)}: the smallest range holding ${from}; a lower bound, the cluster's --cluster-cidr may be wider${unusedFlag}`);
  const mixed = counts.size > 1 ? `; the nodes' podCIDRs differ in size (${[...counts.keys()].map((p) => `/${p}`).join(', ')}), new nodes get /${mask}` : '';
  said.push(`nodeCIDRMaskSize ${mask}: the nodes' podCIDR prefix${mixed}`);
  return { podCIDR: cidrText(known?.range ?? shown), mask, said };
}

function inferServiceRange(services: ServiceSpec[], distribution: Distribution, flags: Seen['flags'] = new Map()): { serviceCIDR: string; said: string } | undefined {
  const withIP = services.filter((v) => v.clusterIP !== undefined && addressProblem(v.clusterIP) === undefined);
  if (!withIP.length) return undefined;
  const ips = withIP.map((v) => ipNumber(v.clusterIP!));
  const [low, high] = lowHigh(ips);
  const flaggedOrNot = flagRange(flags, 'service-cluster-ip-range', supernet(low, high), `every ClusterIP (${withIP.length === 1 ? withIP[0].clusterIP : `${ipText(low)}…${ipText(high)}`})`);
  if (flaggedOrNot && 'range' in flaggedOrNot) return { serviceCIDR: cidrText(flaggedOrNot.range), said: `serviceCIDR ${cidrText(flaggedOrNot.range)}: ${flaggedOrNot.from}, which holds ${withIP.length === 1 ? 'the one ClusterIP' : withIP.length === 2 ? 'both ClusterIPs' : `all ${withIP.length} ClusterIPs`}` };
  const unusedFlag = flaggedOrNot && 'unused' in flaggedOrNot ? `; ${flaggedOrNot.unused}` : '';
  const kubernetes = withIP.find((v) => v.namespace === 'default' && v.name === 'kubernetes');
  const count = `${withIP.length} ClusterIP${withIP.length === 1 ? '' : 's'}`;
  if (kubernetes) {
    // kube-apiserver gives default/kubernetes the range's first address: the range starts one below it.
    const start = ipNumber(kubernetes.clusterIP!) - 1;
    let shown: Range | undefined;
    for (let prefix = 30; prefix >= 0 && aligned(start, prefix); prefix--) {
      // The last address of the range is its broadcast, never a ClusterIP.
      if (low >= start && lastOf({ first: start, prefix }) > high) {
        shown = { first: start, prefix };
        break;
      }
    }
    if (shown) {
      const from = `starts one below the kubernetes Service's ${kubernetes.clusterIP} (the API server gives it the first address) and holds ${withIP.length === 1 ? 'its one ClusterIP' : withIP.length === 2 ? 'both ClusterIPs' : `all ${count}`}`;
      const known = believableDefault(shown, SERVICE_RANGE_DEFAULTS, distribution, true);
      if (known) return { serviceCIDR: cidrText(known.range), said: `serviceCIDR ${cidrText(known.range)}: ${known.who}, which ${from}; ${proves(known.range, shown)}${unusedFlag}` };
      return { serviceCIDR: cidrText(shown), said: `serviceCIDR ${cidrText(shown)}: the smallest range that ${from}; a lower bound, the cluster's --service-cluster-ip-range may be wider${unusedFlag}` };
    }
  }
  // Without default/kubernetes (or with ClusterIPs that cannot follow it) nothing says where the range starts.
  let shown = supernet(low, high);
  // Its network and broadcast addresses are no ClusterIP's.
  while (shown.prefix > 0 && (shown.first === low || lastOf(shown) === high)) shown = widen(shown);
  const why = kubernetes ? `the kubernetes Service's ${kubernetes.clusterIP} cannot be the first address of a range holding the other ClusterIPs` : 'the kubernetes Service is not in the dump, so where the range starts is not known';
  return { serviceCIDR: cidrText(shown), said: `serviceCIDR ${cidrText(shown)}: the smallest range holding ${count} (${why}); a lower bound, the cluster's --service-cluster-ip-range may be wider${unusedFlag}` };
}

/** The /24 (or the smallest wider block) holding every node's InternalIP, with room for podpath's external client. */
function inferNodeNetwork(nodes: NodeSpec[], pods: PodSpec[], podsOnNodeNetwork: boolean): { nodeNetwork: string; said: string } | undefined {
  const nodeIPs = validAddresses(nodes.map((n) => n.internalIP));
  if (!nodeIPs.length) return undefined;
  // The VPC CNI's pods take addresses of the same network.
  const podIPs = podsOnNodeNetwork ? validAddresses(pods.map((p) => p.podIP)) : [];
  const ips = [...nodeIPs, ...podIPs].map(ipNumber);
  let r = supernet(...lowHigh(ips));
  if (r.prefix > 24) r = { first: Math.floor(r.first / size(24)) * size(24), prefix: 24 };
  // The network and broadcast addresses, and the last usable one (podpath's external client), must stay free.
  const taken = new Set(ips);
  while (r.prefix > 0 && (taken.has(r.first) || taken.has(lastOf(r)) || taken.has(lastOf(r) - 1))) r = widen(r);
  const what = `${podsOnNodeNetwork ? 'every node\'s InternalIP and pod IP' : 'every node\'s InternalIP'} (${few(podsOnNodeNetwork ? [...nodeIPs, ...podIPs] : nodeIPs)})`;
  return { nodeNetwork: cidrText(r), said: `nodeNetwork ${cidrText(r)}: the ${r.prefix === 24 ? '/24' : 'smallest range'} holding ${what}; the nodes' own subnet is not in a dump and may be wider` };
}

/**
 * The Cluster a dump without a Cluster document implies, and the one warning that
 * says what was inferred and from what. When the input shows nothing to infer from
 * (a manifest of workloads), the defaults and the warning that says so.
 */
export function inferCluster(input: DumpContents): { cluster: ClusterSpec; warning: PodpathWarning } {
  const seen = look(input.docs);
  const cni = inferCni(seen);
  // Calico's pool is the cluster's pod range (nodes' spec.podCIDR, if any, Calico ignores).
  const pool = cni?.calicoPool ? seen.calicoPools[0] : undefined;
  const pods = pool ? { podCIDR: pool.cidr, mask: DEFAULT_CLUSTER.nodeCIDRMaskSize, said: [`podCIDR ${pool.cidr}: IPPool ${pool.name}'s cidr (Calico hands pods addresses from its blocks, not from the nodes' spec.podCIDR)`] } : inferPodRange(input.nodes, seen.distribution, seen.flags);
  const services = inferServiceRange(input.services, seen.distribution, seen.flags);
  const nodeNetwork = inferNodeNetwork(input.nodes, input.pods, cni !== undefined && cniOf(cni).addressing === 'node-network');
  // The defaults, widened where they cannot hold the input's nodes (500 Node documents
  // without addresses: a /24 node network holds 244 nodes, a /16 of /24s 256).
  const room = roomForNodes(input.nodes.length);
  if (!cni && !pods && !services && !nodeNetwork) {
    const c = { ...DEFAULT_CLUSTER, ...(room.podCIDR ? { podCIDR: room.podCIDR } : {}), ...(room.nodeNetwork ? { nodeNetwork: room.nodeNetwork } : {}) };
    return {
      cluster: c,
      warning: { code: 'cluster-document-missing', message: `no podpath.dev/v1alpha1 Cluster document: using kubeadm/flannel defaults (podCIDR ${c.podCIDR}, serviceCIDR ${c.serviceCIDR}, nodeNetwork ${c.nodeNetwork}, cni ${c.cni})${room.said}` },
    };
  }
  const cluster: ClusterSpec = {
    ...DEFAULT_CLUSTER,
    ...(pods ? {} : room.podCIDR ? { podCIDR: room.podCIDR } : {}),
    ...(nodeNetwork ? {} : room.nodeNetwork ? { nodeNetwork: room.nodeNetwork } : {}),
    cni: cni?.cni ?? CNI_WITHOUT_FINDING,
    ...(pods ? { podCIDR: pods.podCIDR, nodeCIDRMaskSize: pods.mask } : {}),
    ...(services ? { serviceCIDR: services.serviceCIDR } : {}),
    ...(nodeNetwork ? { nodeNetwork: nodeNetwork.nodeNetwork } : {}),
    ...(pool ? { calico: pool.pool } : {}),
  };
  const nothing = 'nothing in the input shows it, so podpath\'s default';
  const widened = ` (widened to hold the ${input.nodes.length} nodes)`;
  const said = [
    ...(pods?.said ?? (cniOf(cluster).addressing === 'node-network' ? [] : [`podCIDR ${cluster.podCIDR}, nodeCIDRMaskSize ${cluster.nodeCIDRMaskSize}: no node has a spec.podCIDR; ${nothing}${room.podCIDR ? widened : ''}`])),
    services?.said ?? `serviceCIDR ${cluster.serviceCIDR}: no Service has a ClusterIP; ${nothing}`,
    nodeNetwork?.said ?? `nodeNetwork ${cluster.nodeNetwork}: no node has an InternalIP; ${nothing}${room.nodeNetwork ? widened : ''}`,
    (cni?.said ?? CNI_WITHOUT_FINDING_SAID) +
      // Both flannel models carry flanneld's --ip-masq chain: true of a flannel cluster, not of this one.
      masqueradeCaveat(seen, cluster),
  ];
  if (seen.distributionFrom) said.push(`the defaults looked for are ${DISTRIBUTION_NAMES[seen.distribution]}: ${seen.distributionFrom} shows a ${DISTRIBUTION_NAMES[seen.distribution]} cluster`);
  return {
    cluster,
    ...(masqueradeCaveat(seen, cluster) ? { masqueradeUnseen: true as const } : {}),
    warning: { code: 'cluster-inferred', message: `no podpath.dev/v1alpha1 Cluster document, so one was inferred from the input (a Cluster document would be used instead):\n${said.map((s) => `  - ${s}`).join('\n')}` },
  };
}

/**
 * The default node network and pod range, each widened (from the same first address,
 * aligned down) until it holds `nodes` nodes: the node network from .FIRST_NODE_HOST up
 * to below the external client, the pod range one nodeCIDRMaskSize block per node.
 */
function roomForNodes(nodes: number): { nodeNetwork?: string; podCIDR?: string; said: string } {
  const grow = (text: string, fits: (prefix: number) => boolean): string | undefined => {
    let r = rangeOf(text);
    if (fits(r.prefix)) return undefined;
    while (r.prefix > 8 && !fits(r.prefix)) r = widen(r);
    return cidrText(r);
  };
  const nodeNetwork = grow(DEFAULT_CLUSTER.nodeNetwork, (p) => size(p) - FIRST_NODE_HOST - 2 >= nodes);
  const podCIDR = grow(DEFAULT_CLUSTER.podCIDR, (p) => 2 ** (DEFAULT_CLUSTER.nodeCIDRMaskSize - p) >= nodes);
  const said = nodeNetwork || podCIDR ? `; ${[podCIDR && 'podCIDR', nodeNetwork && 'nodeNetwork'].filter(Boolean).join(' and ')} widened to hold the ${nodes} nodes` : '';
  return { ...(nodeNetwork ? { nodeNetwork } : {}), ...(podCIDR ? { podCIDR } : {}), said };
}

/** The Cluster fields a dump can show. */
export type InferableField = 'podCIDR' | 'nodeCIDRMaskSize' | 'serviceCIDR' | 'nodeNetwork' | 'cni';
export const INFERABLE_FIELDS: readonly InferableField[] = ['podCIDR', 'nodeCIDRMaskSize', 'serviceCIDR', 'nodeNetwork', 'cni'];

/**
 * A Cluster document that leaves fields out, beside a dump: the fields it sets are
 * used as they are; each one it leaves out is inferred where the input shows it (a
 * finding, not a default), and the warning names those. Where nothing shows an
 * omitted field, the document's default stands, as without a dump.
 */
export function inferOmittedFields(input: DumpContents, document: ClusterSpec, given: ReadonlySet<InferableField>): { cluster: ClusterSpec; warning?: PodpathWarning } {
  const omitted = INFERABLE_FIELDS.filter((f) => !given.has(f));
  if (!omitted.length) return { cluster: document };
  const seen = look(input.docs);
  const cluster: ClusterSpec = { ...document };
  const said: string[] = [];
  let cniUnseen = false;
  if (!given.has('cni')) {
    const cni = inferCni(seen);
    if (cni) {
      cluster.cni = cni.cni;
      // Calico found by its own objects: its pool's settings too, where the document gives none.
      if (cni.calicoPool && !cluster.calico) cluster.calico = cni.calicoPool.pool;
      said.push(cni.said + masqueradeCaveat(seen, cluster));
    } else cniUnseen = true;
  }
  if (!given.has('podCIDR') || !given.has('nodeCIDRMaskSize')) {
    const pods = inferPodRange(input.nodes, seen.distribution, seen.flags);
    if (pods) {
      const [rangeSaid, maskSaid] = pods.said;
      if (!given.has('podCIDR')) {
        cluster.podCIDR = pods.podCIDR;
        said.push(rangeSaid);
      }
      if (!given.has('nodeCIDRMaskSize')) {
        cluster.nodeCIDRMaskSize = pods.mask;
        said.push(maskSaid);
      }
    }
  }
  if (!given.has('serviceCIDR')) {
    const services = inferServiceRange(input.services, seen.distribution, seen.flags);
    if (services) {
      cluster.serviceCIDR = services.serviceCIDR;
      said.push(services.said);
    }
  }
  if (!given.has('nodeNetwork')) {
    const nodeNetwork = inferNodeNetwork(input.nodes, input.pods, cniOf(cluster).addressing === 'node-network');
    if (nodeNetwork) {
      cluster.nodeNetwork = nodeNetwork.nodeNetwork;
      said.push(nodeNetwork.said);
    }
  }
  // A dump beside the document, and nothing in it shows the CNI: the document's default
  // stands, and the warning says that this, too, is podpath's choice, not the cluster's.
  if (said.length && cniUnseen) {
    said.push(`cni ${cluster.cni}, not a finding: the Cluster document leaves it out and nothing in the input shows the CNI, so podpath's default${masqueradeCaveat(seen, cluster)}`);
  }
  if (!said.length) return { cluster };
  return {
    cluster,
    ...(masqueradeCaveat(seen, cluster) ? { masqueradeUnseen: true as const } : {}),
    warning: { code: 'cluster-inferred', message: `the Cluster document leaves out fields the input shows, so they were inferred from it (set them in the Cluster document to use others):\n${said.map((x) => `  - ${x}`).join('\n')}` },
  };
}
