// IPAM: every address in the cluster, handed out the way the real allocators do.
//
//   node InternalIP   the node network, from .10 upward (.1 is the network's router by
//                     convention; the last usable address is the `external` client)
//   node podCIDR      kube-controller-manager's range allocator: the first free block
//                     of nodeCIDRMaskSize inside the cluster podCIDR, in document order
//   pod IP            CNI host-local on that node: cni0 gateway .1, pods from .2 upward,
//                     sequential after the last reserved (vpc: the node network, like
//                     the AWS VPC CNI's secondary IPs, never a node's address)
//   ClusterIP         the first address of serviceCIDR is default/kubernetes, .10 is
//                     kube-system/kube-dns by convention, the rest from .11 upward
//   nodePort          30000-32767, from 30000 upward
//
// Allocations are stored in the returned scenario (podIP, podCIDR, lastReservedIP,
// clusterIP, nodePort): running allocate again, or adding a pod, never renumbers another.
import type { NodeSpec, Scenario, ServiceSpec } from '../model.ts';
import { objectKey } from '../model.ts';
import { fail, ok, type PodpathIssue, type Result } from '../errors.ts';
import { Scheduler } from '../scheduler.ts';
import {
  IPv4,
  IPv4CidrRange,
  addressProblem,
  cidr,
  cidrProblem,
  contains,
  firstSubnet,
  ipv4,
  nthAddress,
  overlaps,
  prefixLength,
} from './addresses.ts';
import { hostLocalNext } from './hostLocal.ts';
import { BlockSet } from './blockSet.ts';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;
/** Nodes are numbered from this host address of the node network. */
export const FIRST_NODE_HOST = 10;
/** kube-dns's conventional host address in the service CIDR. */
export const DNS_SERVICE_HOST = 10;

export const nodeDoc = (n: { name: string }) => `Node/${n.name}`;
export const podDoc = (p: { namespace: string; name: string }) => `Pod/${p.namespace}/${p.name}`;
export const serviceDoc = (s: { namespace: string; name: string }) => `Service/${s.namespace}/${s.name}`;
export const CLUSTER_DOC = 'Cluster';

/** The address the `external` client uses: the last usable address of the node network. */
export function externalClientIP(nodeNetwork: string): string {
  return cidr(nodeNetwork).getLast().previousIPNumber().toString();
}

/** The gateway on a node's cni0: the first address of its podCIDR. */
export function bridgeGateway(podCIDR: string): string {
  return nthAddress(cidr(podCIDR), 1).toString();
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
  ];
  for (const [field, value] of ranges) {
    const problem = cidrProblem(value);
    if (problem) add(field, problem);
  }
  if (!Number.isInteger(c.nodeCIDRMaskSize) || c.nodeCIDRMaskSize < 1 || c.nodeCIDRMaskSize > 30) {
    add('spec.nodeCIDRMaskSize', `must be a whole number from 1 to 30, got ${JSON.stringify(c.nodeCIDRMaskSize)}`);
  }
  if (issues.length) return issues;
  const podRange = cidr(c.podCIDR);
  if (c.nodeCIDRMaskSize < prefixLength(podRange)) {
    add('spec.nodeCIDRMaskSize', `/${c.nodeCIDRMaskSize} node blocks do not fit inside the cluster podCIDR ${c.podCIDR}`);
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (overlaps(cidr(ranges[i][1]), cidr(ranges[j][1]))) {
        add(ranges[j][0], `${ranges[j][1]} overlaps ${ranges[i][0]} ${ranges[i][1]}: pod, service and node ranges must not share addresses`);
      }
    }
  }
  if (prefixLength(cidr(c.nodeNetwork)) > 27) {
    add('spec.nodeNetwork', `${c.nodeNetwork} is too small: nodes are numbered from .${FIRST_NODE_HOST}, use /27 or larger`);
  }
  return issues;
}

function checkDuplicateNames(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const seen = new Set<string>();
  const check = (doc: string, key: string) => {
    if (seen.has(key)) issues.push({ document: doc, field: 'metadata.name', reason: `duplicate name: another ${key.split(':')[0]} is already called that` });
    seen.add(key);
  };
  for (const n of s.nodes) check(nodeDoc(n), `Node:${n.name}`);
  for (const p of s.pods) check(podDoc(p), `Pod:${objectKey(p)}`);
  for (const v of s.services) check(serviceDoc(v), `Service:${objectKey(v)}`);
  return issues;
}

/** Give every node, pod and Service its addresses. Stored addresses are kept and checked. */
export function allocate(input: Scenario): Result<Scenario> {
  const rangeIssues = checkClusterRanges(input);
  if (rangeIssues.length) return fail(rangeIssues);
  const nameIssues = checkDuplicateNames(input);
  if (nameIssues.length) return fail(nameIssues);

  const s: Scenario = {
    cluster: { ...input.cluster },
    namespaces: [...input.namespaces],
    nodes: input.nodes.map((n) => ({ ...n, labels: { ...n.labels } })),
    pods: input.pods.map((p) => ({ ...p, labels: { ...p.labels }, ports: p.ports.map((x) => ({ ...x })) })),
    services: input.services.map((v) => ({ ...v, selector: { ...v.selector }, ports: v.ports.map((x) => ({ ...x })) })),
  };
  const issues: PodpathIssue[] = [];
  issues.push(...allocateNodes(s));
  if (issues.length) return fail(issues);
  issues.push(...allocatePods(s));
  issues.push(...checkHostPorts(s));
  issues.push(...allocateServices(s));
  if (issues.length) return fail(issues);
  for (const ns of [...s.pods, ...s.services].map((o) => o.namespace)) {
    if (!s.namespaces.includes(ns)) s.namespaces.push(ns);
  }
  return ok(s);
}

function allocateNodes(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const nodeNet = cidr(s.cluster.nodeNetwork);
  const external = ipv4(externalClientIP(s.cluster.nodeNetwork));
  const takenNodeIPs = new Set<bigint>([nodeNet.getFirst().getValue(), nodeNet.getLast().getValue(), external.getValue()]);
  const vpc = s.cluster.cni === 'vpc';

  // Stored addresses first, so that new nodes go around them.
  for (const n of s.nodes) {
    if (n.internalIP === undefined) continue;
    const problem = addressProblem(n.internalIP);
    if (problem) {
      issues.push({ document: nodeDoc(n), field: 'status.addresses[InternalIP]', reason: problem });
      continue;
    }
    const ip = ipv4(n.internalIP);
    if (!contains(nodeNet, ip)) {
      issues.push({ document: nodeDoc(n), field: 'status.addresses[InternalIP]', reason: `${n.internalIP} is outside the node network ${s.cluster.nodeNetwork}` });
    } else if (ip.isEquals(external)) {
      issues.push({ document: nodeDoc(n), field: 'status.addresses[InternalIP]', reason: `${n.internalIP} is the external client's address (the last usable address of ${s.cluster.nodeNetwork})` });
    } else if (takenNodeIPs.has(ip.getValue())) {
      issues.push({ document: nodeDoc(n), field: 'status.addresses[InternalIP]', reason: `${n.internalIP} is the network, broadcast or another node's address` });
    }
    takenNodeIPs.add(ip.getValue());
  }
  const nodeRange = { range: nodeNet, rangeStart: nthAddress(nodeNet, FIRST_NODE_HOST) };
  let lastNodeIP: IPv4 | undefined;
  for (const n of s.nodes) {
    if (n.internalIP !== undefined) continue;
    const ip = hostLocalNext(nodeRange, lastNodeIP, (c) => takenNodeIPs.has(c.getValue()));
    if (!ip) {
      issues.push({ document: nodeDoc(n), field: 'status.addresses[InternalIP]', reason: `the node network ${s.cluster.nodeNetwork} has no free address left for this node` });
      continue;
    }
    n.internalIP = ip.toString();
    takenNodeIPs.add(ip.getValue());
    lastNodeIP = ip;
  }

  if (vpc) {
    // The VPC CNI has no per-node pod range: pods take node-network addresses.
    for (const n of s.nodes) delete n.podCIDR;
    return issues;
  }
  const clusterPods = cidr(s.cluster.podCIDR);
  const blocks = new BlockSet();
  for (const n of s.nodes) {
    if (n.podCIDR === undefined) continue;
    const problem = cidrProblem(n.podCIDR);
    if (problem) {
      issues.push({ document: nodeDoc(n), field: 'spec.podCIDR', reason: problem });
      continue;
    }
    const block = cidr(n.podCIDR);
    if (!block.inside(clusterPods) && !block.isEquals(clusterPods)) {
      issues.push({ document: nodeDoc(n), field: 'spec.podCIDR', reason: `${n.podCIDR} is outside the cluster podCIDR ${s.cluster.podCIDR}` });
      continue;
    }
    const clash = blocks.overlapping(block);
    if (clash) {
      issues.push({ document: nodeDoc(n), field: 'spec.podCIDR', reason: `${n.podCIDR} overlaps ${clash}, which another node already has` });
      continue;
    }
    blocks.add(block);
  }
  // The range allocator walks the cluster podCIDR block by block.
  let cursor: IPv4CidrRange | undefined = firstSubnet(clusterPods, s.cluster.nodeCIDRMaskSize);
  for (const n of s.nodes) {
    if (n.podCIDR !== undefined) continue;
    while (cursor && blocks.overlapping(cursor)) cursor = nextBlock(cursor, clusterPods);
    if (!cursor) {
      issues.push({
        document: nodeDoc(n),
        field: 'spec.podCIDR',
        reason: `the cluster podCIDR ${s.cluster.podCIDR} has no free /${s.cluster.nodeCIDRMaskSize} block left for this node (${s.nodes.length} nodes need ${s.nodes.length} blocks)`,
      });
      continue;
    }
    n.podCIDR = cursor.toCidrString();
    blocks.add(cursor);
    cursor = nextBlock(cursor, clusterPods);
  }
  return issues;
}

function nextBlock(block: IPv4CidrRange, within: IPv4CidrRange): IPv4CidrRange | undefined {
  if (!block.hasNextRange()) return undefined;
  const next = block.nextRange();
  return next && contains(within, next.getFirst()) ? next : undefined;
}

/** The range host-local hands pod addresses out of on this node. */
function podRangeOf(s: Scenario, node: NodeSpec) {
  if (s.cluster.cni === 'vpc') {
    const nodeNet = cidr(s.cluster.nodeNetwork);
    return { range: nodeNet, rangeStart: nthAddress(nodeNet, FIRST_NODE_HOST) };
  }
  const range = cidr(node.podCIDR!);
  return { range, gateway: nthAddress(range, 1) };
}

function allocatePods(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const nodes = new Map(s.nodes.map((n) => [n.name, n]));
  const vpc = s.cluster.cni === 'vpc';
  // vpc: one address space for nodes, pods and the external client.
  const clusterTaken = new Set<bigint>();
  const takenOnNode = new Map<string, Set<bigint>>();
  const takenSet = (node: string) => {
    if (vpc) return clusterTaken;
    let set = takenOnNode.get(node);
    if (!set) takenOnNode.set(node, (set = new Set()));
    return set;
  };
  if (vpc) {
    const nodeNet = cidr(s.cluster.nodeNetwork);
    clusterTaken.add(ipv4(externalClientIP(s.cluster.nodeNetwork)).getValue());
    clusterTaken.add(nodeNet.getLast().getValue());
    for (const n of s.nodes) clusterTaken.add(ipv4(n.internalIP!).getValue());
  }
  const lastReserved = new Map<string, IPv4 | undefined>();
  for (const n of s.nodes) lastReserved.set(n.name, n.lastReservedIP && !addressProblem(n.lastReservedIP) ? ipv4(n.lastReservedIP) : undefined);

  const scheduler = new Scheduler(s.nodes.map((n) => n.name));
  // 1. Pods bound to a node: check the node exists and keep a stored address.
  const seenIPs = new Map<bigint, string>();
  for (const p of s.pods) {
    if (p.nodeName === undefined) continue;
    const node = nodes.get(p.nodeName);
    if (!node) {
      const known = s.nodes.map((n) => n.name).join(', ') || 'none';
      issues.push({ document: podDoc(p), field: 'spec.nodeName', reason: `node "${p.nodeName}" does not exist (nodes: ${known})` });
      continue;
    }
    scheduler.bind(p, p.nodeName);
    if (p.podIP === undefined) continue;
    const problem = addressProblem(p.podIP);
    if (problem) {
      issues.push({ document: podDoc(p), field: 'status.podIP', reason: problem });
      continue;
    }
    const ip = ipv4(p.podIP);
    const { range, gateway } = podRangeOf(s, node) as { range: IPv4CidrRange; gateway?: IPv4 };
    const where = vpc ? `the node network ${s.cluster.nodeNetwork}` : `node ${node.name}'s podCIDR ${node.podCIDR}`;
    if (!contains(range, ip)) issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${p.podIP} is outside ${where}` });
    else if (ip.isEquals(range.getFirst()) || ip.isEquals(range.getLast())) issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${p.podIP} is the network or broadcast address of ${where}` });
    else if (gateway && ip.isEquals(gateway)) issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${p.podIP} is the cni0 gateway of node ${node.name}` });
    else if (seenIPs.has(ip.getValue())) issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${p.podIP} is already pod ${seenIPs.get(ip.getValue())}'s address` });
    else if (vpc && clusterTaken.has(ip.getValue())) issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${p.podIP} is a node's or the external client's address` });
    seenIPs.set(ip.getValue(), objectKey(p));
    takenSet(node.name).add(ip.getValue());
  }
  if (issues.length) return issues;

  // 2. Pods that need an address (and, when unbound, a node), in document order.
  const nextFor = (node: NodeSpec) =>
    hostLocalNext(podRangeOf(s, node), lastReserved.get(node.name), (c) => takenSet(node.name).has(c.getValue()));
  for (const p of s.pods) {
    if (p.podIP !== undefined) continue;
    if (p.nodeName === undefined) {
      if (s.nodes.length === 0) {
        issues.push({ document: podDoc(p), field: 'spec.nodeName', reason: 'there is no node to run this pod on: add a Node' });
        continue;
      }
      const picked = scheduler.pick(p, (name) => nextFor(nodes.get(name)!) !== undefined);
      if (!picked) {
        issues.push({ document: podDoc(p), field: 'spec.nodeName', reason: `no node has a free pod address left: every node's podCIDR is full` });
        continue;
      }
      p.nodeName = picked;
      scheduler.bind(p, picked);
    }
    const node = nodes.get(p.nodeName)!;
    const ip = nextFor(node);
    if (!ip) {
      const where = vpc ? `the node network ${s.cluster.nodeNetwork}` : `node ${node.name}'s podCIDR ${node.podCIDR}`;
      issues.push({ document: podDoc(p), field: 'status.podIP', reason: `${where} is full: pod ${objectKey(p)} did not fit` });
      continue;
    }
    p.podIP = ip.toString();
    takenSet(node.name).add(ip.getValue());
    lastReserved.set(node.name, ip);
    node.lastReservedIP = ip.toString();
  }
  return issues;
}

function checkHostPorts(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const used = new Map<string, string>();
  for (const p of s.pods) {
    p.ports.forEach((port, i) => {
      if (port.hostPort === undefined) return;
      const field = `spec.containers[].ports[${i}].hostPort`;
      if (!Number.isInteger(port.hostPort) || port.hostPort < 1 || port.hostPort > 65535) {
        issues.push({ document: podDoc(p), field, reason: `must be a port number 1-65535, got ${port.hostPort}` });
        return;
      }
      const key = `${p.nodeName}/${port.hostPort}/${port.protocol}`;
      const owner = used.get(key);
      if (owner) issues.push({ document: podDoc(p), field, reason: `hostPort ${port.hostPort}/${port.protocol} on node ${p.nodeName} is already taken by pod ${owner}` });
      else used.set(key, objectKey(p));
    });
  }
  return issues;
}

function allocateServices(s: Scenario): PodpathIssue[] {
  const issues: PodpathIssue[] = [];
  const range = cidr(s.cluster.serviceCIDR);
  const kubernetesIP = nthAddress(range, 1);
  const dnsIP = nthAddress(range, DNS_SERVICE_HOST);
  const taken = new Map<bigint, string>([[kubernetesIP.getValue(), 'default/kubernetes']]);
  const isKubernetes = (v: ServiceSpec) => v.namespace === 'default' && v.name === 'kubernetes';
  const isDns = (v: ServiceSpec) => v.namespace === 'kube-system' && v.name === 'kube-dns';

  for (const v of s.services) {
    if (v.clusterIP === undefined || v.clusterIP === 'None') continue;
    const problem = addressProblem(v.clusterIP);
    if (problem) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: problem });
      continue;
    }
    const ip = ipv4(v.clusterIP);
    const owner = taken.get(ip.getValue());
    if (!contains(range, ip) || ip.isEquals(range.getFirst()) || ip.isEquals(range.getLast())) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: `${v.clusterIP} is not a usable address of the service CIDR ${s.cluster.serviceCIDR}` });
    } else if (owner && !(isKubernetes(v) && ip.isEquals(kubernetesIP))) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: `${v.clusterIP} is already allocated to Service ${owner}` });
    }
    taken.set(ip.getValue(), objectKey(v));
  }
  const dnsFree = !taken.has(dnsIP.getValue());
  let cursor = nthAddress(range, DNS_SERVICE_HOST);
  const last = range.getLast();
  for (const v of s.services) {
    if (v.clusterIP !== undefined) continue;
    let ip: IPv4 | undefined;
    if (isKubernetes(v)) ip = kubernetesIP;
    else if (isDns(v) && dnsFree) ip = dnsIP;
    else {
      do cursor = cursor.nextIPNumber();
      while (cursor.isLessThan(last) && (taken.has(cursor.getValue()) || cursor.isEquals(dnsIP)));
      ip = cursor.isLessThan(last) ? cursor : undefined;
    }
    if (!ip) {
      issues.push({ document: serviceDoc(v), field: 'spec.clusterIP', reason: `the service CIDR ${s.cluster.serviceCIDR} is full` });
      continue;
    }
    v.clusterIP = ip.toString();
    taken.set(ip.getValue(), objectKey(v));
  }

  // NodePorts: unique per port number and protocol across the cluster.
  const nodePorts = new Map<string, string>();
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
      const key = `${p.nodePort}/${p.protocol}`;
      const owner = nodePorts.get(key);
      if (owner) issues.push({ document: serviceDoc(v), field, reason: `nodePort ${p.nodePort}/${p.protocol} is already allocated to Service ${owner}` });
      else nodePorts.set(key, objectKey(v));
    });
  }
  let nextPort = NODE_PORT_MIN;
  for (const v of s.services) {
    if (v.type !== 'NodePort') continue;
    for (const p of v.ports) {
      if (p.nodePort !== undefined) continue;
      while (nextPort <= NODE_PORT_MAX && nodePorts.has(`${nextPort}/${p.protocol}`)) nextPort++;
      if (nextPort > NODE_PORT_MAX) {
        issues.push({ document: serviceDoc(v), field: 'spec.ports[].nodePort', reason: `no free NodePort left in ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
        return issues;
      }
      p.nodePort = nextPort;
      nodePorts.set(`${nextPort}/${p.protocol}`, objectKey(v));
    }
  }
  return issues;
}

