// Allocation after an edit. The playground allocates the whole cluster after every
// edit, and an edit adds, removes or replaces a pod or two: checking the stored
// address, name and node of 10,000 unchanged pods again cost more than the rest of
// the edit loop. So the last successful allocation is remembered, and a new input
// that differs from it only in a few pods (compared by object: edits share what
// they do not change) is allocated by checking just those pods against what the
// rest already hold. This path gives exactly what the full allocation gives, or
// gives up: when anything could come out differently (another cluster setting, a
// node added or readdressed, a pod to schedule, a hostPort, any problem at all,
// whose messages the full path words), allocate() runs in full.
import { editedSpan } from '../util/editedSpan.ts';
import { cniOf } from '../cni/index.ts';
import type { PodSpec, Scenario } from '../model.ts';
import { addressProblem, ipNumber, ipText } from './addresses.ts';
import { hostLocalNext } from './hostLocal.ts';
import { wantsAddress } from '../podStatus.ts';
import { addNamespaces, allocateNodes, allocateServices, copyForAllocation, externalClientIP, podRangeOf, storedPodIPProblem } from './index.ts';

/** Beyond this many pods added, removed or replaced, an input is allocated in full. */
const MAX_CHANGED_PODS = 64;

interface Remembered {
  /** The last successful allocation's output: every pod in it has a node and an address. */
  out: Scenario;
  /** Its pods by namespace and name, and by address; built when the next edit needs them. */
  byName?: Map<string, Map<string, PodSpec>>;
  byIP?: Map<number, PodSpec>;
}
let last: Remembered | undefined;

/** Remember a successful full allocation, for the next edit. */
export function rememberAllocation(out: Scenario): void {
  last = { out };
}

/** Forget it (tests compare the path after an edit with a full allocation). */
export function forgetAllocation(): void {
  last = undefined;
}

/** The pods of `before` and `after` that are not in both (by object), with where each added one is in `after`; undefined when many. */
export function podEdit(before: readonly PodSpec[], after: readonly PodSpec[], limit = MAX_CHANGED_PODS): { removed: PodSpec[]; added: { pod: PodSpec; index: number }[] } | undefined {
  const { start, endBefore, endAfter } = editedSpan(before, after);
  if (endBefore - start + (endAfter - start) > limit) return undefined;
  const middleBefore = new Set(before.slice(start, endBefore));
  const middleAfter = new Set(after.slice(start, endAfter));
  const removed = [...middleBefore].filter((p) => !middleAfter.has(p));
  const added: { pod: PodSpec; index: number }[] = [];
  for (let i = start; i < endAfter; i++) if (!middleBefore.has(after[i])) added.push({ pod: after[i], index: i });
  return { removed, added };
}

function sameCluster(a: Scenario, b: Scenario): boolean {
  const keys = Object.keys(a.cluster) as (keyof Scenario['cluster'])[];
  return keys.length === Object.keys(b.cluster).length && keys.every((k) => a.cluster[k] === b.cluster[k]);
}

/** The same nodes, in the same order, with the same stored addresses, blocks and host-local state. */
function sameNodeAddresses(a: Scenario, b: Scenario): boolean {
  if (a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x.name !== y.name || x.internalIP !== y.internalIP || x.podCIDR !== y.podCIDR || x.lastReservedIP !== y.lastReservedIP) return false;
  }
  return true;
}

/** Allocate `input` from the last allocation by checking only the pods it changed; undefined: allocate in full. */
export function allocateAfterEdit(input: Scenario): Scenario | undefined {
  const before = last;
  if (!before || !sameCluster(before.out, input) || !sameNodeAddresses(before.out, input)) return undefined;
  // Calico's blocks are claimed as pods need them: its pods are allocated in full.
  if (cniOf(input.cluster).addressing === 'ipam-blocks') return undefined;
  const edit = podEdit(before.out.pods, input.pods);
  if (!edit) return undefined;
  // Pods to schedule and hostPorts are left to the full path (the scheduler and the hostPort check see every pod).
  if (edit.added.some(({ pod }) => pod.nodeName === undefined || pod.ports.some((x) => x.hostPort !== undefined))) return undefined;
  // Services are few: their names are checked in full.
  const services = new Set<string>();
  for (const v of input.services) {
    const key = `${v.namespace}/${v.name}`;
    if (services.has(key)) return undefined;
    services.add(key);
  }

  const byName = (before.byName ??= podsByName(before.out.pods));
  const byIP = (before.byIP ??= podsByIP(before.out.pods));
  const removed = new Set(edit.removed);
  const kept = (p: PodSpec | undefined) => p !== undefined && !removed.has(p);
  const addedNames = new Set<string>();
  for (const { pod } of edit.added) {
    const key = `${pod.namespace}/${pod.name}`;
    if (kept(byName.get(pod.namespace)?.get(pod.name)) || addedNames.has(key)) return undefined;
    addedNames.add(key);
  }

  const s = copyForAllocation(input);
  if (allocateNodes(s).length) return undefined;
  const nodes = new Map(s.nodes.map((n) => [n.name, n]));
  const onNodeNetwork = cniOf(s.cluster).addressing === 'node-network';
  // Pods on the node network: pods share the node network with the nodes and the external client.
  const reserved = new Set<number>();
  if (onNodeNetwork) {
    reserved.add(ipNumber(externalClientIP(s.cluster.nodeNetwork)));
    for (const n of s.nodes) reserved.add(ipNumber(n.internalIP!));
  }
  const addedIPs = new Map<number, PodSpec>();
  // Cluster-wide, and that is the same as per node: a stored address lies in its own node's block, and blocks do not overlap.
  const taken = (ip: number) => kept(byIP.get(ip)) || addedIPs.has(ip) || reserved.has(ip);
  const noneSeen = new Map<number, PodSpec>();
  // 1. Stored addresses of the added pods, as the full path checks them first.
  for (const { index } of edit.added) {
    const pod = s.pods[index];
    const node = nodes.get(pod.nodeName!);
    if (!node) return undefined;
    if (pod.podIP === undefined) continue;
    if (storedPodIPProblem(pod.podIP, node, podRangeOf(s, node), noneSeen, onNodeNetwork ? reserved : undefined, () => '')) return undefined;
    const ip = ipNumber(pod.podIP);
    if (taken(ip)) return undefined;
    addedIPs.set(ip, pod);
  }
  // 2. Addresses for the others, in document order, as host-local hands them out.
  const lastReserved = new Map<string, number | undefined>();
  for (const { index } of edit.added) {
    const pod = s.pods[index];
    // A dump's Pending pod has no address yet, a finished one released it: as the full path, none is made up.
    if (pod.podIP !== undefined || !wantsAddress(pod)) continue;
    const node = nodes.get(pod.nodeName!)!;
    if (!lastReserved.has(node.name)) lastReserved.set(node.name, node.lastReservedIP && !addressProblem(node.lastReservedIP) ? ipNumber(node.lastReservedIP) : undefined);
    const ip = hostLocalNext(podRangeOf(s, node), lastReserved.get(node.name), taken);
    if (ip === undefined) return undefined;
    pod.podIP = ipText(ip);
    addedIPs.set(ip, pod);
    lastReserved.set(node.name, ip);
    node.lastReservedIP = pod.podIP;
  }
  if (allocateServices(s).length) return undefined;
  addNamespaces(s);

  // Done: the indexes now describe the new allocation.
  for (const p of edit.removed) {
    if (byName.get(p.namespace)?.get(p.name) === p) byName.get(p.namespace)!.delete(p.name);
    if (p.podIP !== undefined && byIP.get(ipNumber(p.podIP)) === p) byIP.delete(ipNumber(p.podIP));
  }
  for (const { index } of edit.added) {
    const p = s.pods[index];
    let names = byName.get(p.namespace);
    if (!names) byName.set(p.namespace, (names = new Map()));
    names.set(p.name, p);
    if (p.podIP !== undefined) byIP.set(ipNumber(p.podIP), p);
  }
  last = { out: s, byName, byIP };
  return s;
}

function podsByName(pods: readonly PodSpec[]): Map<string, Map<string, PodSpec>> {
  const out = new Map<string, Map<string, PodSpec>>();
  for (const p of pods) {
    let names = out.get(p.namespace);
    if (!names) out.set(p.namespace, (names = new Map()));
    names.set(p.name, p);
  }
  return out;
}

function podsByIP(pods: readonly PodSpec[]): Map<number, PodSpec> {
  const out = new Map<number, PodSpec>();
  for (const p of pods) if (p.podIP !== undefined) out.set(ipNumber(p.podIP), p);
  return out;
}
