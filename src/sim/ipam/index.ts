// IPAM: every address in the cluster, handed out the way the real allocators do.
//
//   node InternalIP   the node network, from .10 upward (.1 is the network's router by
//                     convention; the last usable address is the `external` client)
//   node podCIDR      kube-controller-manager's range allocator: the first free block
//                     of nodeCIDRMaskSize inside the cluster podCIDR, in document order
//   pod IP            CNI host-local on that node: cni0 gateway .1, pods from .2 upward,
//                     sequential after the last reserved (a CNI whose pods are on the node network: from it, like
//                     the AWS VPC CNI's secondary IPs, never a node's address)
//   ClusterIP         the first address of serviceCIDR is default/kubernetes, .10 is
//                     kube-system/kube-dns by convention, the rest from .11 upward
//   nodePort          30000-32767, from 30000 upward
//
// Allocations are stored in the returned scenario (podIP, podCIDR, lastReservedIP,
// clusterIP, nodePort): running allocate again, or adding a pod, never renumbers another.
import { wantsAddress } from '../podStatus.ts';
import { cniOf } from '../cni/index.ts';
import type { NodeSpec, PodSpec, Scenario, ServiceSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import { fail, ok, type PodpathIssue, type Result } from '../errors.ts';
import { Scheduler } from '../scheduler.ts';
import { addressProblem, allocatedAddress, block, blockAt, blockContains, blocksOverlap, cidrProblem, ipNumber, ipText } from './addresses.ts';
import { hostLocalNext, type HostLocalRange } from './hostLocal.ts';
import { BlockSet } from './blockSet.ts';
import { CalicoIpam } from './calicoBlocks.ts';
import { allocateAfterEdit, rememberAllocation } from './afterEdit.ts';
import { MAX_LISTED_PODS, shownValue } from '../scenario/limits.ts';
import { gatewayOf, hasRouter, nodeSubnets, subnetIndexOf } from '../dataplane/nodeNetworks.ts';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** Nodes are numbered from this host address of the node network. */
export const FIRST_NODE_HOST = 10;
/** The first address of the service CIDR: the API server reserves it for default/kubernetes. */
export function kubernetesServiceIP(serviceCIDR: string): string {
  return ipText(block(serviceCIDR).first + 1);
}

/**
 * The Services the API server holds: the file's, and `default/kubernetes` on the
 * first address when the file does not spell it out. The API server creates that
 * Service itself (443/TCP → its own 6443, endpoints kept by hand, no selector), so
 * `kubectl get svc -A` always lists it. It is listed first: it is made before any other.
 */
export function servicesWithKubernetes(s: Scenario): ServiceSpec[] {
  if (s.services.some((v) => v.namespace === 'default' && v.name === 'kubernetes')) return s.services;
  const kubernetes: ServiceSpec = {
    namespace: 'default',
    name: 'kubernetes',
    type: 'ClusterIP',
    selector: {},
    clusterIP: kubernetesServiceIP(s.cluster.serviceCIDR),
    ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
  };
  return [kubernetes, ...s.services];
}

/** kube-dns's conventional host address in the service CIDR. */
export const DNS_SERVICE_HOST = 10;

export const nodeDoc = (n: { name: string }) => `Node/${n.name}`;
/** The document a person wrote: a workload's pods are reported under the workload that made them. */
export const podDoc = (p: { namespace: string; name: string; ownerKind?: string; ownerName?: string }) =>
  p.ownerKind && p.ownerName ? `${p.ownerKind}/${p.namespace}/${p.ownerName} (its pod ${p.name})` : `Pod/${p.namespace}/${p.name}`;
export const serviceDoc = (s: { namespace: string; name: string }) => `Service/${s.namespace}/${s.name}`;
export const CLUSTER_DOC = 'Cluster';

/** The address the `external` client uses: the last usable address of the node network. */
export function externalClientIP(nodeNetwork: string): string {
  return ipText(block(nodeNetwork).last - 1);
}

/** The gateway on a node's cni0: the first address of its podCIDR. */
export function bridgeGateway(podCIDR: string): string {
  return ipText(block(podCIDR).first + 1);
}

/** Check the Cluster document's ranges: well-formed, consistent, not overlapping. */
export function checkClusterRanges(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const c = s.cluster;
  const add = (field: string, reason: string) => issues.push({ document: CLUSTER_DOC, field, reason });
  const ranges: [string, string][] = [
    ['spec.podCIDR', c.podCIDR],
    ['spec.serviceCIDR', c.serviceCIDR],
    ['spec.nodeNetwork', c.nodeNetwork],
    // Racks: the other node networks (the first is nodeNetwork).
    ...nodeSubnets(c).slice(1).map((n, i): [string, string] => [`spec.nodeNetworks[${i + 1}]`, n]),
  ];
  for (const [field, value] of ranges) {
    const problem = cidrProblem(value);
    if (problem) add(field, problem);
  }
  if (!Number.isInteger(c.nodeCIDRMaskSize) || c.nodeCIDRMaskSize < 1 || c.nodeCIDRMaskSize > 30) {
    add('spec.nodeCIDRMaskSize', `must be a whole number from 1 to 30, got ${shownValue(c.nodeCIDRMaskSize)}`);
  }
  if (issues.length) return issues;
  const podRange = block(c.podCIDR);
  if (c.nodeCIDRMaskSize < podRange.prefixLength) {
    add('spec.nodeCIDRMaskSize', `/${c.nodeCIDRMaskSize} node blocks do not fit inside the cluster podCIDR ${c.podCIDR}`);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (blocksOverlap(block(ranges[i][1]), block(ranges[j][1]))) {
        add(ranges[j][0], `${ranges[j][1]} overlaps ${ranges[i][0]} ${ranges[i][1]}: pod, service and node ranges must not share addresses`);
      }
    }
  }
  if (block(c.nodeNetwork).prefixLength > 27) {
    add('spec.nodeNetwork', `${c.nodeNetwork} is too small: nodes are numbered from .${FIRST_NODE_HOST}, use /27 or larger`);
  }
  // A CNI that cannot cross between racks as podpath models it says why.
  const racks = hasRouter(c) ? cniOf(c).racksProblem?.(c) : undefined;
  if (racks) add('spec.nodeNetworks', racks);
  return issues;
}

function checkDuplicateNames(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const seen = new Set<string>();
  // The document's name is only spelled out for a duplicate (this runs on every edit).
  const duplicate = (document: string, kind: string) => issues.push({ document, field: 'metadata.name', reason: `duplicate name: another ${kind} is already called that` });
  for (const n of s.nodes) {
    const key = `Node:${n.name}`;
    if (seen.has(key)) duplicate(nodeDoc(n), 'Node');
    seen.add(key);
  }
  // Pod names per namespace, without a string made for each of 150,000 pods.
  const podNames = new Map<string, Set<string>>();
  for (let i = 0; i < s.pods.length; i++) {
    const p = s.pods[i];
    let names = podNames.get(p.namespace);
    if (!names) podNames.set(p.namespace, (names = new Set()));
    if (names.has(p.name)) duplicate(podDoc(p), 'Pod');
    names.add(p.name);
  }
  for (const v of s.services) {
    const key = `Service:${v.namespace}/${v.name}`;
    if (seen.has(key)) duplicate(serviceDoc(v), 'Service');
    seen.add(key);
  }
  return issues;
}

/**
 * Give every node, pod and Service its addresses. Stored addresses are kept and checked.
 * `inPlace`: the input is the caller's own, just read and held by no one else (a file
 * loaded by loadScenarioFiles), so it is filled in rather than copied: copying 150,000
 * pods was a quarter of the allocation's time, and garbage.
 */
export function allocate(input: Scenario, { inPlace = false }: { inPlace?: boolean } = {}): Result<Scenario> {
  const rangeIssues = checkClusterRanges(input);
  if (rangeIssues.length) return fail(rangeIssues);
  // After an edit of the last cluster allocated: only what the edit changed is checked (afterEdit.ts).
  const edited = allocateAfterEdit(input);
  if (edited) return ok(edited);
  const nameIssues = checkDuplicateNames(input);
  if (nameIssues.length) return fail(nameIssues);

  const s = inPlace ? input : copyForAllocation(input);
  const issues: PodpathIssue[] = [];
  append(issues, allocateNodes(s));
  if (issues.length) return fail(issues);
  append(issues, allocatePods(s));
  append(issues, checkHostPorts(s));
  append(issues, allocateServices(s));
  if (issues.length) return fail(issues);
  addNamespaces(s);
  rememberAllocation(s);
  return ok(s);
}

/**
 * The input is never changed. Objects that get an address are copied; the others
 * (a pod that already has its node and IP) are shared, which keeps an edit on a
 * large cluster cheap.
 *
 * Copied with Object.assign, not spread: V8 (Node 20) gives each `{ ...p }` copy that
 * then gets a property (podIP) a hidden class of its own, so 150,000 pods had 150,000
 * shapes and every later loop over them (scans, indexes, endpoints) ran megamorphic,
 * several times slower. Object.assign copies share one shape (seen with %HaveSameMap).
 */
export function copyForAllocation(input: Scenario): Scenario {
  return {
    cluster: { ...input.cluster },
    namespaces: [...input.namespaces],
    nodes: input.nodes.map((n) => Object.assign({}, n)),
    pods: input.pods.map((p) => (p.podIP !== undefined && p.nodeName !== undefined ? p : Object.assign({}, p))),
    services: input.services.map((v) => (v.clusterIP !== undefined && (v.type !== 'NodePort' || v.ports.every((x) => x.nodePort !== undefined)) ? v : Object.assign({}, v, { ports: v.ports.map((x) => Object.assign({}, x)) }))),
    // Neither holds an address: shared as they are.
    ...(input.namespaceLabels ? { namespaceLabels: input.namespaceLabels } : {}),
    ...(input.networkPolicies ? { networkPolicies: input.networkPolicies } : {}),
  };
}

/** Every namespace a pod or Service is in, after those the scenario lists. */
export function addNamespaces(s: Scenario): void {
  const known = new Set(s.namespaces);
  for (const list of [s.pods, s.services]) {
    let previous: string | undefined;
    for (const { namespace } of list) {
      // Neighbours usually share a namespace: no lookup for those.
      if (namespace !== previous && !known.has(namespace)) {
        known.add(namespace);
        s.namespaces.push(namespace);
      }
      previous = namespace;
    }
  }
}

/** A loop, not push(...more): 130,000 issues as arguments overflow the call stack. */
function append(issues: PodpathIssue[], more: PodpathIssue[]): void {
  for (const i of more) issues.push(i);
}

export function allocateNodes(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const nodeNet = block(s.cluster.nodeNetwork);
  const external = ipNumber(externalClientIP(s.cluster.nodeNetwork));
  const takenNodeIPs = new Set<number>([nodeNet.first, nodeNet.last, external]);
  const onNodeNetwork = cniOf(s.cluster).addressing === 'node-network';
  const field = 'status.addresses[InternalIP]';

  // Stored addresses first, so that new nodes go around them.
  for (const n of s.nodes) {
    if (n.internalIP === undefined) continue;
    const problem = addressProblem(n.internalIP);
    if (problem) {
      issues.push({ document: nodeDoc(n), field, reason: problem });
      continue;
    }
    const ip = ipNumber(n.internalIP);
    if (subnetIndexOf(s.cluster, n.internalIP) < 0) issues.push({ code: 'outside-cluster-range', range: 'nodeNetwork', document: nodeDoc(n), field, reason: `${n.internalIP} is outside the node network ${hasRouter(s.cluster) ? `s ${nodeSubnets(s.cluster).join(', ')}` : s.cluster.nodeNetwork}` });
    else if (hasRouter(s.cluster) && nodeSubnets(s.cluster).some((sub) => gatewayOf(sub) === n.internalIP)) issues.push({ document: nodeDoc(n), field, reason: `${n.internalIP} is the router's address on its rack's network (each node network's .1)` });
    else if (ip === external) issues.push({ document: nodeDoc(n), field, reason: `${n.internalIP} is the external client's address (the last usable address of ${s.cluster.nodeNetwork})` });
    else if (takenNodeIPs.has(ip)) issues.push({ document: nodeDoc(n), field, reason: `${n.internalIP} is the network, broadcast or another node's address` });
    takenNodeIPs.add(ip);
  }
  const nodeRange = { range: nodeNet, rangeStart: nodeNet.first + FIRST_NODE_HOST };
  let lastNodeIP: number | undefined;
  for (const n of s.nodes) {
    if (n.internalIP !== undefined) continue;
    const ip = hostLocalNext(nodeRange, lastNodeIP, (c) => takenNodeIPs.has(c));
    if (ip === undefined) {
      issues.push({ document: nodeDoc(n), field, reason: `the node network ${s.cluster.nodeNetwork} has no free address left for this node` });
      continue;
    }
    n.internalIP = ipText(ip);
    takenNodeIPs.add(ip);
    lastNodeIP = ip;
  }

  if (onNodeNetwork) {
    // The VPC CNI has no per-node pod range: pods take node-network addresses.
    for (const n of s.nodes) delete n.podCIDR;
    return issues;
  }
  // Calico: blocks of the pool, taken by nodes as they need them (calicoBlocks.ts).
  if (cniOf(s.cluster).addressing === 'ipam-blocks') return issues.concat(new CalicoIpam(s).nodeBlocks());
  const clusterPods = block(s.cluster.podCIDR);
  const taken = new BlockSet();
  for (const n of s.nodes) {
    if (n.podCIDR === undefined) continue;
    const problem = cidrProblem(n.podCIDR);
    if (problem) {
      issues.push({ document: nodeDoc(n), field: 'spec.podCIDR', reason: problem });
      continue;
    }
    const b = block(n.podCIDR);
    if (b.first < clusterPods.first || b.last > clusterPods.last) {
      issues.push({ code: 'outside-cluster-range', range: 'podCIDR', document: nodeDoc(n), field: 'spec.podCIDR', reason: `${n.podCIDR} is outside the cluster podCIDR ${s.cluster.podCIDR}` });
      continue;
    }
    const clash = taken.overlapping(b);
    if (clash) {
      issues.push({ document: nodeDoc(n), field: 'spec.podCIDR', reason: `${n.podCIDR} overlaps ${clash.cidr}, which another node already has` });
      continue;
    }
    taken.add(b);
  }
  // The range allocator walks the cluster podCIDR block by block.
  const mask = s.cluster.nodeCIDRMaskSize;
  const size = 2 ** (32 - mask);
  let cursor = clusterPods.first;
  for (const n of s.nodes) {
    if (n.podCIDR !== undefined) continue;
    while (cursor + size - 1 <= clusterPods.last && taken.overlapping(blockAt(cursor, mask))) cursor += size;
    if (cursor + size - 1 > clusterPods.last) {
      issues.push({
        document: nodeDoc(n),
        field: 'spec.podCIDR',
        reason: `the cluster podCIDR ${s.cluster.podCIDR} has no free /${mask} block left for this node (${s.nodes.length} nodes need ${s.nodes.length} blocks)`,
      });
      continue;
    }
    const b = blockAt(cursor, mask);
    n.podCIDR = b.cidr;
    taken.add(b);
    cursor += size;
  }
  return issues;
}

/** The range host-local hands pod addresses out of on a node (pods on the node network: all of it). */
export function podRangeOf(s: Scenario, node: NodeSpec): HostLocalRange {
  // Calico's blocks are not one range (CalicoIpam hands them out): the pool stands for them here.
  if (cniOf(s.cluster).addressing === 'ipam-blocks') return { range: block(s.cluster.podCIDR), rangeStart: block(s.cluster.podCIDR).first };
  if (cniOf(s.cluster).addressing === 'node-network') {
    const nodeNet = block(s.cluster.nodeNetwork);
    return { range: nodeNet, rangeStart: nodeNet.first + FIRST_NODE_HOST };
  }
  const range = block(node.podCIDR!);
  return { range, gateway: range.first + 1 };
}

function allocatePods(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const nodes = new Map(s.nodes.map((n) => [n.name, n]));
  const ranges = new Map(s.nodes.map((n) => [n.name, podRangeOf(s, n)]));
  const onNodeNetwork = cniOf(s.cluster).addressing === 'node-network';
  // Pods on the node network: one address space for nodes, pods and the external client.
  const clusterTaken = new Set<number>();
  const takenOnNode = new Map<string, Set<number>>();
  const takenSet = (node: string) => {
    if (onNodeNetwork) return clusterTaken;
    let set = takenOnNode.get(node);
    if (!set) takenOnNode.set(node, (set = new Set()));
    return set;
  };
  if (onNodeNetwork) {
    clusterTaken.add(ipNumber(externalClientIP(s.cluster.nodeNetwork)));
    for (const n of s.nodes) clusterTaken.add(ipNumber(n.internalIP!));
  }
  const lastReserved = new Map<string, number | undefined>();
  for (const n of s.nodes) lastReserved.set(n.name, n.lastReservedIP && !addressProblem(n.lastReservedIP) ? ipNumber(n.lastReservedIP) : undefined);
  // Calico's IPAM hands out its blocks' addresses instead of host-local (calicoBlocks.ts).
  let calico: CalicoIpam | undefined;
  if (cniOf(s.cluster).addressing === 'ipam-blocks') {
    calico = new CalicoIpam(s);
    const blockIssues = calico.nodeBlocks();
    if (blockIssues.length) return blockIssues;
  }
  const where = (node: NodeSpec) => (calico ? calico.where(node) : onNodeNetwork ? `the node network ${s.cluster.nodeNetwork}` : `node ${node.name}'s podCIDR ${node.podCIDR}`);

  // The scheduler is only needed (and only fed) when some pod has no node yet.
  const scheduler = s.pods.some((p) => p.nodeName === undefined) ? new Scheduler(s.nodes.map((n) => n.name)) : undefined;
  // (Loops over the pods by index here and below: each runs once over up to 150,000, and a
  // for…of that runs once did not get optimised in time (Node 20): 10 times slower.)
  // 1. Pods bound to a node: check the node exists and keep a stored address.
  const seenIPs = new Map<number, PodSpec>();
  const known = () => s.nodes.map((n) => n.name).join(', ') || 'none';
  // hostPorts in use per node, for the scheduler's NodePorts filter.
  const hostPortsOn = new Map<string, Set<string>>();
  const NONE: string[] = [];
  const hostPortKeys = (p: PodSpec): string[] => {
    let keys = NONE;
    for (const x of p.ports) if (x.hostPort !== undefined) (keys === NONE ? (keys = []) : keys).push(`${x.hostPort}/${x.protocol}`);
    return keys;
  };
  const holdHostPorts = (p: PodSpec, nodeName: string) => {
    const keys = hostPortKeys(p);
    if (!keys.length) return;
    let set = hostPortsOn.get(nodeName);
    if (!set) hostPortsOn.set(nodeName, (set = new Set()));
    for (const k of keys) set.add(k);
  };
  for (let i = 0; i < s.pods.length; i++) {
    const p = s.pods[i];
    if (p.nodeName === undefined) {
      if (p.podIP !== undefined) {
        issues.push({ document: podDoc(p), field: 'status.podIP', reason: `is set but spec.nodeName is not: a pod gets its address on the node it runs on, so set spec.nodeName to that node (or drop status.podIP)` });
      }
      continue;
    }
    holdHostPorts(p, p.nodeName);
    const node = nodes.get(p.nodeName);
    if (!node) {
      issues.push({ document: podDoc(p), field: 'spec.nodeName', reason: `node "${p.nodeName}" does not exist (nodes: ${known()})` });
      continue;
    }
    scheduler?.bind(p, p.nodeName);
    if (p.podIP === undefined) continue;
    const reason = calico ? calico.storedProblem(p.podIP, node, seenIPs) : storedPodIPProblem(p.podIP, node, ranges.get(node.name)!, seenIPs, onNodeNetwork ? clusterTaken : undefined, where);
    if (reason) issues.push({ document: podDoc(p), field: 'status.podIP', reason });
    const ip = reason ? undefined : ipNumber(p.podIP);
    if (ip === undefined) continue;
    seenIPs.set(ip, p);
    calico?.hold(ip, node, p);
    takenSet(node.name).add(ip);
  }
  if (issues.length) return listedPods(issues);

  // 2. More pods than free addresses: one sentence, before any pod is given one
  // (naming each of 130,000 pods that does not fit helps no one, and takes minutes).
  let needed = 0;
  for (let i = 0; i < s.pods.length; i++) if (s.pods[i].podIP === undefined) needed++;
  if (needed > MAX_LISTED_PODS) {
    const free = calico ? calico.free() : freePodAddresses(s, ranges, onNodeNetwork ? clusterTaken : takenOnNode);
    if (needed > free) return [podsDoNotFit(s, needed, free)];
  }

  // 3. Pods that need an address (and, when unbound, a node), in document order.
  const isTaken = new Map(s.nodes.map((n) => [n.name, (c: number) => takenSet(n.name).has(c)]));
  const nextFor = (node: NodeSpec) => (calico ? calico.next(node) : hostLocalNext(ranges.get(node.name)!, lastReserved.get(node.name), isTaken.get(node.name)!));
  for (let i = 0; i < s.pods.length; i++) {
    const p = s.pods[i];
    if (p.podIP !== undefined) continue;
    // A dump's Pending pod has no address yet, a finished one released it: none is made up.
    if (!wantsAddress(p)) continue;
    if (p.nodeName === undefined) {
      if (s.nodes.length === 0) {
        issues.push({ document: podDoc(p), field: 'spec.nodeName', reason: 'there is no node to run this pod on: add a Node' });
        continue;
      }
      // kube-scheduler's NodePorts filter: a node where one of the pod's hostPorts is taken does not fit.
      const wanted = hostPortKeys(p);
      const portsFree = (name: string) => !wanted.some((k) => hostPortsOn.get(name)?.has(k));
      const picked = scheduler!.pick(p, (name) => portsFree(name) && nextFor(nodes.get(name)!) !== undefined);
      if (!picked) {
        const noPorts = wanted.length > 0 && s.nodes.every((n) => !portsFree(n.name));
        issues.push({
          document: podDoc(p),
          field: 'spec.nodeName',
          reason: noPorts
            ? `no node can run this pod: on every node one of its hostPorts (${wanted.join(', ')}) is already taken`
            : calico
              ? `no free pod address left: the pool ${s.cluster.podCIDR} has no free address in any node's blocks and no free block`
              : `no node has a free pod address left: every node's podCIDR is full`,
        });
        continue;
      }
      p.nodeName = picked;
      scheduler!.bind(p, picked);
      holdHostPorts(p, picked);
    }
    const node = nodes.get(p.nodeName)!;
    const ip = nextFor(node);
    if (ip === undefined) {
      issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${where(node)} is full: pod ${objectKey(p)} did not fit` });
      continue;
    }
    p.podIP = ipText(ip);
    if (calico) {
      calico.take(ip, node, p);
      continue;
    }
    takenSet(node.name).add(ip);
    lastReserved.set(node.name, ip);
    node.lastReservedIP = p.podIP;
  }
  return listedPods(issues);
}

/** The first MAX_LISTED_PODS pods' issues, and one sentence for the rest. */
function listedPods(issues: PodpathIssue[]): PodpathIssue[] {
  if (issues.length <= MAX_LISTED_PODS + 1) return issues;
  const rest = issues.length - MAX_LISTED_PODS;
  return [...issues.slice(0, MAX_LISTED_PODS), { document: CLUSTER_DOC, field: '', reason: `and ${rest.toLocaleString('en-US')} more pods cannot be placed, for reasons like those above` }];
}

/** How many addresses host-local could still hand out: on every node (pods on the node network: in the node network, shared). */
function freePodAddresses(s: Scenario, ranges: Map<string, HostLocalRange>, taken: Set<number> | Map<string, Set<number>>): number {
  const usable = (r: HostLocalRange, isTaken: Set<number> | undefined) => {
    const start = r.rangeStart ?? r.range.first + 1;
    const end = r.range.last - 1;
    if (end < start) return 0;
    let n = end - start + 1 - (r.gateway !== undefined && r.gateway >= start && r.gateway <= end ? 1 : 0);
    if (isTaken) for (const ip of isTaken) if (ip >= start && ip <= end && ip !== r.gateway) n--;
    return n;
  };
  if (taken instanceof Set) {
    // Pods on the node network: one range for the whole cluster.
    const r = s.nodes.length ? ranges.get(s.nodes[0].name) : undefined;
    return r ? usable(r, taken) : 0;
  }
  let free = 0;
  for (const n of s.nodes) free += usable(ranges.get(n.name)!, taken.get(n.name));
  return free;
}

function podsDoNotFit(s: Scenario, needed: number, free: number): PodpathIssue {
  const count = (n: number) => n.toLocaleString('en-US');
  const nodes = s.nodes.length;
  const where =
    nodes === 0
      ? 'there is no node to run them on: add a Node'
      : cniOf(s.cluster).addressing === 'ipam-blocks'
        ? `the pool ${s.cluster.podCIDR} has ${count(free)} addresses free: use a larger podCIDR, or ask for fewer pods`
        : cniOf(s.cluster).addressing === 'node-network'
        ? `the node network ${s.cluster.nodeNetwork} has ${count(free)} addresses free for pods: use a larger nodeNetwork, or ask for fewer pods`
        : `the podCIDRs of the ${count(nodes)} node${nodes === 1 ? '' : 's'} have ${count(free)} addresses free (a /${s.cluster.nodeCIDRMaskSize} per node): add nodes, give every node a larger block (a smaller nodeCIDRMaskSize), or ask for fewer pods`;
  return { code: 'pods-do-not-fit', needed, free, document: CLUSTER_DOC, field: '', reason: `${count(needed)} pods need an address, but ${where}` };
}

/** Why a pod's stored status.podIP cannot be kept on this node, or undefined when it can. */
export function storedPodIPProblem(
  podIP: string,
  node: NodeSpec,
  r: HostLocalRange,
  seen: Map<number, PodSpec>,
  clusterTaken: Set<number> | undefined,
  whereOf: (node: NodeSpec) => string,
): string | undefined {
  const problem = addressProblem(podIP);
  if (problem) return problem;
  const ip = ipNumber(podIP);
  if (!blockContains(r.range, ip)) return `${podIP} is outside ${whereOf(node)}`;
  if (ip === r.range.first || ip === r.range.last) return `${podIP} is the network or broadcast address of ${whereOf(node)}`;
  if (ip === r.gateway) return `${podIP} is the cni0 gateway of node ${node.name}`;
  if (seen.has(ip)) return `${podIP} is already pod ${objectKey(seen.get(ip)!)}'s address`;
  if (clusterTaken?.has(ip)) return `${podIP} is a node's or the external client's address`;
  return undefined;
}

function checkHostPorts(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const used = new Map<string, string>();
  for (let k = 0; k < s.pods.length; k++) {
    const p = s.pods[k];
    for (let i = 0; i < p.ports.length; i++) {
      const port = p.ports[i];
      if (port.hostPort === undefined) continue;
      const field = `spec.containers[].ports[${i}].hostPort`;
      if (!Number.isInteger(port.hostPort) || port.hostPort < 1 || port.hostPort > 65535) {
        issues.push({ document: podDoc(p), field, reason: `must be a port number 1-65535, got ${port.hostPort}` });
        continue;
      }
      const key = `${p.nodeName}/${port.hostPort}/${port.protocol}`;
      const owner = used.get(key);
      if (owner) issues.push({ document: podDoc(p), field, reason: `hostPort ${port.hostPort}/${port.protocol} on node ${p.nodeName} is already taken by pod ${owner}` });
      else used.set(key, objectKey(p));
    }
  }
  return issues;
}

export function allocateServices(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const range = block(s.cluster.serviceCIDR);
  const kubernetesIP = ipNumber(kubernetesServiceIP(s.cluster.serviceCIDR));
  const dnsIP = range.first + DNS_SERVICE_HOST;
  const taken = new Map<number, string>([[kubernetesIP, 'default/kubernetes']]);
  const isKubernetes = (v: ServiceSpec) => v.namespace === 'default' && v.name === 'kubernetes';
  const isDns = (v: ServiceSpec) => v.namespace === 'kube-system' && v.name === 'kube-dns';

  for (const v of s.services) {
    if (v.clusterIP === undefined || v.clusterIP === 'None') continue;
    const problem = addressProblem(v.clusterIP);
    if (problem) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: problem });
      continue;
    }
    const ip = ipNumber(v.clusterIP);
    const owner = taken.get(ip);
    const unusable = `${v.clusterIP} is not a usable address of the service CIDR ${s.cluster.serviceCIDR}`;
    if (!blockContains(range, ip)) {
      issues.push({ code: 'outside-cluster-range', range: 'serviceCIDR', document: serviceDoc(v), field: 'spec.clusterIP', reason: unusable });
    } else if (ip === range.first || ip === range.last) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: unusable });
    } else if (owner && !(isKubernetes(v) && ip === kubernetesIP)) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: `${v.clusterIP} is already allocated to Service ${owner}` });
    }
    taken.set(ip, objectKey(v));
  }
  const dnsFree = !taken.has(dnsIP);
  let cursor = dnsIP;
  for (const v of s.services) {
    if (v.clusterIP !== undefined) continue;
    let ip: number | undefined;
    if (isKubernetes(v)) ip = kubernetesIP;
    else if (isDns(v) && dnsFree) ip = dnsIP;
    else {
      do cursor++;
      while (cursor < range.last && taken.has(cursor));
      ip = cursor < range.last ? cursor : undefined;
    }
    if (ip === undefined) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: `the service CIDR ${s.cluster.serviceCIDR} is full` });
      continue;
    }
    v.clusterIP = allocatedAddress(ip);
    taken.set(ip, objectKey(v));
  }

  // NodePorts: the apiserver keeps one pool of port numbers for the whole cluster,
  // whatever the protocol. Only ports of one Service may share a nodePort (DNS on
  // 53/TCP and 53/UDP, say): an explicit one in two protocols, and an allocated one
  // is reused for a port with the same number and another protocol.
  const nodePorts = new Map<number, { service: string; protocols: Set<string> }>();
  for (const v of s.services) {
    v.ports.forEach((p, i) => {
      const field = `spec.ports[${i}].nodePort`;
      if (p.nodePort === undefined) return;
      if (v.type !== 'NodePort') {
        issues.push({ document: serviceDoc(v), field, reason: `a nodePort may not be set when type is ${v.type}` });
        return;
      }
      if (!Number.isInteger(p.nodePort) || p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        issues.push({ document: serviceDoc(v), field, reason: `${p.nodePort} is outside the NodePort range ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
        return;
      }
      const owner = nodePorts.get(p.nodePort);
      if (!owner) nodePorts.set(p.nodePort, { service: objectKey(v), protocols: new Set([p.protocol]) });
      else if (owner.service !== objectKey(v)) issues.push({ document: serviceDoc(v), field, reason: `nodePort ${p.nodePort} is already allocated to Service ${owner.service} (one pool for TCP and UDP)` });
      else if (owner.protocols.has(p.protocol)) issues.push({ document: serviceDoc(v), field, reason: `nodePort ${p.nodePort}/${p.protocol} appears twice in this Service` });
      else owner.protocols.add(p.protocol);
    });
  }
  let nextPort = NODE_PORT_MIN;
  for (const v of s.services) {
    if (v.type !== 'NodePort') continue;
    const byPortNumber = new Map<number, number>();
    for (const p of v.ports) if (p.nodePort !== undefined) byPortNumber.set(p.port, p.nodePort);
    for (const p of v.ports) {
      if (p.nodePort !== undefined) continue;
      const shared = byPortNumber.get(p.port);
      if (shared !== undefined && !nodePorts.get(shared)?.protocols.has(p.protocol)) {
        p.nodePort = shared;
        nodePorts.get(shared)!.protocols.add(p.protocol);
        continue;
      }
      while (nextPort <= NODE_PORT_MAX && nodePorts.has(nextPort)) nextPort++;
      if (nextPort > NODE_PORT_MAX) {
        issues.push({ document: serviceDoc(v), field: 'spec.ports[].nodePort', reason: `no free NodePort left in ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
        return issues;
      }
      p.nodePort = nextPort;
      nodePorts.set(nextPort, { service: objectKey(v), protocols: new Set([p.protocol]) });
      byPortNumber.set(p.port, nextPort);
    }
  }
  return issues;
}

