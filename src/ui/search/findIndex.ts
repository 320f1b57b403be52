// Finding a pod, node or Service of a big cluster by name or address: what the search
// box and the packet's From/To pickers list. Plain data, no React.
import { objectKey, type Scenario } from '../../sim/model.ts';
import { EXTERNAL_ID, nodeId, podId, serviceId } from '../../store/ids.ts';

export type FindKind = 'pod' | 'node' | 'service' | 'external';

export interface FindEntry {
  /** The canvas id (store/ids.ts), which is also the packet end's id. */
  id: string;
  kind: FindKind;
  /** What a person types: the object's name (a pod's or Service's without its namespace). */
  name: string;
  namespace?: string;
  /** Its address: a pod's podIP, a node's InternalIP, a Service's ClusterIP. */
  ip?: string;
  /** The node a pod runs on. */
  node?: string;
}

export interface FindIndex {
  entries: FindEntry[];
  byId: Map<string, FindEntry>;
}

const indexes = new WeakMap<Scenario, FindIndex>();
/** Every pod, node and Service of the cluster and the external client, once per cluster (a scenario is never changed in place). */
export function findIndex(s: Scenario): FindIndex {
  let index = indexes.get(s);
  if (index) return index;
  const entries: FindEntry[] = [];
  for (const p of s.pods) entries.push({ id: podId(objectKey(p)), kind: 'pod', name: p.name, namespace: p.namespace, ip: p.podIP, node: p.nodeName });
  for (const n of s.nodes) entries.push({ id: nodeId(n.name), kind: 'node', name: n.name, ip: n.internalIP });
  for (const v of s.services) entries.push({ id: serviceId(objectKey(v)), kind: 'service', name: v.name, namespace: v.namespace, ip: v.clusterIP });
  entries.push({ id: EXTERNAL_ID, kind: 'external', name: 'external client' });
  index = { entries, byId: new Map(entries.map((e) => [e.id, e])) };
  indexes.set(s, index);
  return index;
}

export interface Found {
  /** The best matches, at most `limit`. */
  matches: FindEntry[];
  /** How many entries match in all. */
  total: number;
}

/**
 * The entries of these kinds whose name (or `namespace/name`) contains the query, or
 * whose address starts with it, case-insensitively. Best first: the exact name or
 * address, then names starting with the query, then addresses starting with it, then
 * names containing it; each group in the cluster's order.
 */
export function findEntries(index: FindIndex, query: string, kinds: readonly FindKind[], limit = 12): Found {
  const q = query.trim().toLowerCase();
  if (!q) return { matches: [], total: 0 };
  const wanted = new Set(kinds);
  const groups: FindEntry[][] = [[], [], [], []];
  let total = 0;
  for (const e of index.entries) {
    if (!wanted.has(e.kind)) continue;
    const name = e.name.toLowerCase();
    const ip = e.ip ?? '';
    let rank: number;
    if (name === q || ip === q) rank = 0;
    else if (name.startsWith(q)) rank = 1;
    else if (ip.startsWith(q)) rank = 2;
    else if (name.includes(q) || (e.namespace !== undefined && `${e.namespace}/${name}`.toLowerCase().startsWith(q))) rank = 3;
    else continue;
    total++;
    // Only as many as can be shown are kept per group: 15,000 pods match "web".
    if (groups[rank].length < limit) groups[rank].push(e);
  }
  return { matches: groups.flat().slice(0, limit), total };
}

/** How an entry reads in a list: its kind, name and address (and a pod's node). */
export function describeEntry(e: FindEntry): { title: string; detail: string } {
  switch (e.kind) {
    case 'pod':
      return { title: e.name, detail: [e.ip, e.node && `on ${e.node}`].filter(Boolean).join(' ') };
    case 'node':
      return { title: e.name, detail: `node ${e.ip ?? ''}`.trim() };
    case 'service':
      return { title: `svc/${e.name}`, detail: e.ip ?? '' };
    case 'external':
      return { title: e.name, detail: 'outside the cluster' };
  }
}
