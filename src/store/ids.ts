// The one id grammar of the playground: what the canvas names its boxes and wires,
// what the store keys positions, selections and messages by, and what the packet's
// From/To choices hold. Made and read here only.
//
//   node:NAME                        a node                 (an element a person selects,
//   pod:NAMESPACE/NAME               a pod                   moves, renames, deletes)
//   svc:NAMESPACE/NAME               a Service
//   bridge:NODE  nic:NODE  tunnel:NODE   a device drawn inside a node (cni0, eth0, flannel.1)
//   network  network:ROW             the node network's bar under a row of nodes (row 0 has no suffix)
//   external                         the external client
//   deployment:NAMESPACE/NAME        a packet's source: a pod of that Deployment
//   ip:ADDRESS                       a packet's destination given by address
//
// Edges: veth:POD  uplink:NODE  wire:NODE  wire:external  trunk:ROW  vxlan:NODE:NODE  ep:SERVICE:POD.
// Kubernetes names are DNS labels (no ':' and no '/'), so an id reads back one way only.
import type { ElementKind } from '../sim/edit.ts';
import { objectKey } from '../sim/model.ts';
import type { TraceDestination, TraceSource } from '../sim/trace/types.ts';

export type { ElementKind };

/** An element a person selects: a node by name, a pod or Service by `namespace/name`. */
export interface ElementRef {
  kind: ElementKind;
  key: string;
}

export type NodeId = `node:${string}`;
export type PodId = `pod:${string}`;
export type ServiceId = `svc:${string}`;
export type ElementId = NodeId | PodId | ServiceId;

export const nodeId = (name: string): NodeId => `node:${name}`;
export const podId = (key: string): PodId => `pod:${key}`;
export const serviceId = (key: string): ServiceId => `svc:${key}`;
export function elementId(kind: ElementKind, key: string): ElementId {
  return kind === 'node' ? nodeId(key) : kind === 'pod' ? podId(key) : serviceId(key);
}

/** `prefix:rest` split at the first colon (an IPv6 address after `ip:` keeps its own). */
function split(id: string): [string, string] | null {
  const i = id.indexOf(':');
  return i < 0 ? null : [id.slice(0, i), id.slice(i + 1)];
}

/** `namespace/name` → its parts; null when it is not one. */
export function keyParts(key: string): { namespace: string; name: string } | null {
  const i = key.indexOf('/');
  if (i <= 0 || i === key.length - 1 || key.indexOf('/', i + 1) >= 0) return null;
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The element an id draws (`node:NAME`, `pod:NS/NAME`, `svc:NS/NAME`); null for anything else (a device, the network, a message's place). */
export function elementOfId(id: string): ElementRef | null {
  const parts = split(id);
  if (!parts || !parts[1]) return null;
  const [prefix, key] = parts;
  if (prefix === 'node' && !key.includes('/')) return { kind: 'node', key };
  if ((prefix === 'pod' || prefix === 'svc') && keyParts(key)) return { kind: prefix === 'pod' ? 'pod' : 'service', key };
  return null;
}

// ---- devices and the network, inside and under the nodes ----------------------------

export const bridgeId = (node: string) => `bridge:${node}`;
export const nicId = (node: string) => `nic:${node}`;
export const tunnelId = (node: string) => `tunnel:${node}`;
/** The node network's bar under row `row` of nodes; row 0's is plain `network`. */
export const networkId = (row = 0) => (row === 0 ? 'network' : `network:${row}`);
export const EXTERNAL_ID = 'external';
/** Racks: the router joining the node networks. */
export const ROUTER_ID = 'router';

// ---- edges -------------------------------------------------------------------------

export const vethEdgeId = (podKey: string) => `veth:${podKey}`;
export const uplinkEdgeId = (node: string) => `uplink:${node}`;
/** A node's eth0 to the node network (or the external client's: `wire:external`). */
export const wireEdgeId = (node: string) => `wire:${node}`;
export const trunkEdgeId = (row: number) => `trunk:${row}`;
export const vxlanEdgeId = (a: string, b: string) => `vxlan:${a}:${b}`;
export const endpointEdgeId = (serviceKey: string, podKey: string) => `ep:${serviceKey}:${podKey}`;

// ---- a packet's ends ---------------------------------------------------------------

/** One end of a packet, without the port: a source or a destination of the engine's trace request. */
export type PacketEnd =
  | { kind: 'pod' | 'deployment' | 'service'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'external' }
  | { kind: 'ip'; ip: string };

/** The id of a packet's end: a pod, Service or node end is the element's own id. */
export function endId(end: PacketEnd): string {
  switch (end.kind) {
    case 'pod':
      return podId(objectKey(end));
    case 'service':
      return serviceId(objectKey(end));
    case 'deployment':
      return `deployment:${objectKey(end)}`;
    case 'node':
      return nodeId(end.name);
    case 'external':
      return EXTERNAL_ID;
    case 'ip':
      return `ip:${end.ip}`;
  }
}

/** The packet end an id names (an element, the external client, a Deployment, an address); null for anything else. */
export function endOfId(id: string): PacketEnd | null {
  if (id === EXTERNAL_ID) return { kind: 'external' };
  const parts = split(id);
  if (!parts || !parts[1]) return null;
  const [prefix, rest] = parts;
  if (prefix === 'ip') return { kind: 'ip', ip: rest };
  if (prefix === 'node') return rest.includes('/') ? null : { kind: 'node', name: rest };
  const kind = prefix === 'pod' ? 'pod' : prefix === 'svc' ? 'service' : prefix === 'deployment' ? 'deployment' : null;
  const key = keyParts(rest);
  return kind && key ? { kind, ...key } : null;
}

/** The end as the engine's source, if a packet can start there (a pod, a Deployment's pod, a node, the external client). */
export function asSource(end: PacketEnd): TraceSource | null {
  if (end.kind === 'pod' || end.kind === 'deployment') return { kind: end.kind, namespace: end.namespace, name: end.name };
  if (end.kind === 'node') return { kind: 'node', name: end.name };
  return end.kind === 'external' ? { kind: 'external' } : null;
}

/** The end as the engine's destination on a port, if a packet can be sent there (not to a Deployment, nor the external client). */
export function asDestination(end: PacketEnd, port: number): TraceDestination | null {
  if (end.kind === 'pod' || end.kind === 'service') return { kind: end.kind, namespace: end.namespace, name: end.name, port };
  if (end.kind === 'node') return { kind: 'node', name: end.name, port };
  if (end.kind === 'ip') return { kind: 'ip', ip: end.ip, port };
  return null;
}

/** The element an end names (a pod, Service or node), which a rename or delete reaches; null for the others. */
export function elementOfEnd(end: PacketEnd): ElementRef | null {
  if (end.kind === 'pod' || end.kind === 'service') return { kind: end.kind, key: objectKey(end) };
  if (end.kind === 'node') return { kind: 'node', key: end.name };
  return null;
}
