// The canvas for React Flow: the thin adapter from the cluster and its compiled
// dataplane to React Flow nodes and edges, like xyflow's packages/react over
// packages/system. Where things go is ./geometry.ts (numbers only, no React); what
// each box says comes from the engine's dataplane here; how it looks is the node
// components (one folder per node type).
import { cniOf } from '../../sim/cni/index.ts';
import { podStateWord } from '../../sim/podStatus.ts';
import type { Edge, Node } from '@xyflow/react';
import type { Scenario, PodSpec, NodeSpec, ServiceSpec, CniMode } from '../../sim/model.ts';
import { objectKey } from '../../sim/model.ts';
import type { Device } from '../../sim/dataplane/types.ts';
import { gatewayOf, hasRouter, nodeSubnets, subnetIndexOf } from '../../sim/dataplane/nodeNetworks.ts';
import { endpointsOf, NODE_NETWORK, type Dataplane } from '../../store/engine.ts';
import type { XY } from '../../store/store.ts';
import { bridgeId, endpointEdgeId, EXTERNAL_ID, ROUTER_ID, networkId, nicId, nodeId, podId, serviceId, trunkEdgeId, tunnelId, uplinkEdgeId, vethEdgeId, vxlanEdgeId, wireEdgeId } from '../../store/ids.ts';
import { isolationOf, type PodIsolation, type PolicyDropMark } from './policyMarks.ts';
import { BRIDGE_H, NIC_H, NIC_W, POD_H, POD_W, SERVICE_H, SERVICE_W, TUNNEL_W, collapsedPerRow, placeCluster, type Box, type CanvasGeometry, type HostShape } from './geometry.ts';

export interface HostData extends Record<string, unknown> {
  node: NodeSpec;
  cni: CniMode;
  podCount: number;
  /** Drawn collapsed (presenter mode, a node the walk does not visit): its name, address and pod count only. */
  collapsed?: boolean;
  /** A big cluster (./bigCluster.ts): the button the node offers, to draw its pods or fold them away. None on a node the walk visits. */
  toggle?: 'expand' | 'collapse';
}
export interface PodData extends Record<string, unknown> {
  pod: PodSpec;
  /** The host-side end of the veth pair (from the compiled dataplane). */
  veth?: string;
  /** Presenting a walk that does not enter this pod: its veth name is not written. */
  offPath?: boolean;
  /** The NetworkPolicies that isolate it (./policyMarks.ts); absent when none selects it. */
  isolation?: PodIsolation;
  /** The walk has reached the hop where a policy protecting this pod stops the packet (or would have, under a CNI enforcing none). */
  policyDrop?: PolicyDropMark;
}
/** The device the pods' gateway address is on, where the CNI names one (Cilium's cilium_host): drawn in the bridge's place. */
function gatewayDevice(ns: { devices: Device[] } | undefined, name: string | undefined): { gateway: string } | undefined {
  const dev = name ? ns?.devices.find((d) => d.name === name) : undefined;
  const address = dev?.addresses[0];
  return dev && address ? { gateway: `${dev.name} ${address.ip}/${address.prefixLength}` } : undefined;
}
export interface BridgeData extends Record<string, unknown> {
  node: string;
  /** `cni0` and its gateway address, or null: none yet, or a CNI whose pods the host routes. */
  name: string | null;
  address?: string;
  /** The CNI has no bridge: how each pod's veth is wired instead, as its plugin says it. */
  noBridge?: string;
  /** The device holding the pods' gateway, where the CNI has one (`cilium_host 10.244.0.1/32`). */
  gateway?: string;
  /** cni0 with no port left (its last pod is gone): no carrier, state DOWN, but it stays. */
  down?: boolean;
}
export interface TunnelData extends Record<string, unknown> {
  name: string;
  /** `VXLAN`, or `IPIP` (modelled: this kernel has no IPIP; the pipe's label says so). */
  encapsulation: string;
  address?: string;
  mtu: number;
}
export interface NicData extends Record<string, unknown> {
  node: string;
  address: string;
}
/** The tunnel pipe between two nodes' tunnel devices, and what its label says. */
export interface VxlanData extends Record<string, unknown> {
  label: string;
}

/** A node's tunnel device: VXLAN (flannel.1, vxlan.calico) or IP-in-IP (Calico's tunl0). */
const isTunnel = (d: Device) => d.kind === 'vxlan' || d.kind === 'ipip';
const encapsulationOf = (d: Device) => (d.kind === 'ipip' ? 'IPIP' : 'VXLAN');
export interface RouterData extends Record<string, unknown> {
  /** Its address on each node network (that network's .1). */
  addresses: string[];
}
export interface NetworkData extends Record<string, unknown> {
  cidr: string;
  /** Racks: this network is one rack's segment, said on the bar. */
  rack?: string;
  /** The node network is a VPC, whose fabric knows which node holds each pod address. */
  vpcFabric: boolean;
  /** The nodes peer over it with BGP (Calico's BIRD mesh), said on the bar; absent otherwise. */
  bgpMesh?: string;
}
export interface ServiceData extends Record<string, unknown> {
  service: ServiceSpec;
  endpoints: number;
}
export interface ExternalData extends Record<string, unknown> {
  address: string;
}

/** Above this many Service→pod edges, only the selected Service's are drawn (the rest is noise). */
export const MAX_ENDPOINT_EDGES = 60;

/**
 * The pods behind a Service: the endpoints of any of its ports, by the engine's one
 * rule (its namespace only; a named targetPort only where the pod has that port).
 */
export function endpointPods(s: Scenario, v: ServiceSpec): PodSpec[] {
  const pods = new Set<PodSpec>();
  for (const sp of v.ports) for (const e of endpointsOf(s, v, sp)) if (e.pod) pods.add(e.pod);
  return [...pods];
}

/** A big cluster's nodes are collapsed by size, not by presenter mode: each offers expand or collapse, but those the walk visits. */
export interface BigClusterView {
  visited: ReadonlySet<string>;
}
function toggleOf(node: string, collapsed: boolean, big: BigClusterView | undefined): Pick<HostData, 'toggle'> {
  if (!big || big.visited.has(node)) return {};
  return { toggle: collapsed ? 'expand' : 'collapse' };
}

const endpointsOfScenario = new WeakMap<Scenario, PodSpec[][]>();
/** Each Service's endpoint pods, once per cluster (a scenario is never changed in place): expanding a node lays out again, it does not re-select 15,000 pods. */
function endpointsByService(s: Scenario): PodSpec[][] {
  let all = endpointsOfScenario.get(s);
  if (!all) endpointsOfScenario.set(s, (all = s.services.map((v) => endpointPods(s, v))));
  return all;
}

export interface Layout extends CanvasGeometry {
  nodes: Node[];
  edges: Edge[];
}

/** React Flow's flags for a box inside a node or under it: a device, not something a person moves or selects. */
// A role for its aria-label: React Flow gives an unfocusable node none, and a name on a div without one is not announced (axe: aria-prohibited-attr).
const DEVICE = { draggable: false, selectable: false, focusable: false, ariaRole: 'group' } as const;
/** The same for a wire. */
const WIRE = { selectable: false, focusable: false } as const;

const sized = (b: Box) => ({ width: b.w, height: b.h });
const cidrOf = (a: { ip: string; prefixLength: number } | undefined) => (a ? `${a.ip}/${a.prefixLength}` : undefined);

/**
 * `collapsed`: nodes drawn as a small box (name, address, how many pods), their pods and
 * devices not drawn: presenter mode's nodes the walk does not visit (see ./geometry.ts).
 */
export function layout(s: Scenario, positions: Record<string, XY>, dp: Dataplane, focusService?: string, collapsed?: ReadonlySet<string>, big?: BigClusterView): Layout {
  const cni = s.cluster.cni;
  const isolation = isolationOf(s);
  const podsByNode = new Map<string, PodSpec[]>();
  for (const p of s.pods) {
    const list = podsByNode.get(p.nodeName ?? '');
    if (list) list.push(p);
    else podsByNode.set(p.nodeName ?? '', [p]);
  }

  // Racks: each node network is its own row and bar, a router joins them.
  const racks = hasRouter(s.cluster);
  const subnets = nodeSubnets(s.cluster);
  // What the geometry needs from the dataplane: each pod's host-side veth, and whether the node has a VXLAN device.
  // A collapsed node's devices are not drawn: its netns is not asked for (compiling 500 nodes' would take seconds).
  const shapes = s.nodes.map((n): HostShape => {
    if (collapsed?.has(n.name)) return { name: n.name, pods: (podsByNode.get(n.name) ?? []).map((p) => ({ key: objectKey(p) })), tunnel: false, ...(racks ? { rack: Math.max(0, subnetIndexOf(s.cluster, n.internalIP)) } : {}) };
    const devices = dp.netns(n.name)?.devices ?? [];
    const pods = (podsByNode.get(n.name) ?? []).map((p) => {
      const key = objectKey(p);
      return { key, veth: devices.find((d) => d.peer?.netns === key)?.name };
    });
    return { name: n.name, pods, tunnel: devices.some(isTunnel), ...(racks ? { rack: Math.max(0, subnetIndexOf(s.cluster, n.internalIP)) } : {}) };
  });
  // Drawn in the bridge box: the CNI's bridge, or the device holding the pods' gateway and its veth peer (cilium_host/cilium_net).
  const plugin = cniOf(s.cluster);
  const gatewayPeer = plugin.podGatewayDevice && s.nodes.length && !collapsed?.has(s.nodes[0].name) ? dp.netns(s.nodes[0].name)?.devices.find((d) => d.name === plugin.podGatewayDevice)?.peer?.device : undefined;
  const bridgeDevices = [plugin.bridge, plugin.podGatewayDevice, gatewayPeer].filter((d): d is string => d !== undefined);
  const g = placeCluster({ nodes: shapes, services: s.services.map(objectKey), positions, bridgeDevices }, { collapsed, ...(big ? { perRow: collapsedPerRow(s.nodes.length) } : {}) });
  /** The node each drawn pod is on; a pod of a collapsed node is not drawn. */
  const hidden = new Map<string, string>();

  const nodes: Node[] = [];
  const edges: Edge[] = [];
  s.nodes.forEach((n, i) => {
    const host = g.hosts[i];
    const id = nodeId(n.name);
    const pods = podsByNode.get(n.name) ?? [];
    nodes.push({
      id,
      type: 'host',
      position: { x: host.box.x, y: host.box.y },
      ...sized(host.box),
      ariaLabel: `node ${n.name} ${n.internalIP ?? ''}`.trim(),
      data: { node: n, cni, podCount: pods.length, ...(host.collapsed ? { collapsed: true } : {}), ...toggleOf(n.name, !!host.collapsed, big) } satisfies HostData,
      dragHandle: '[data-drag-handle]', // the node's header (HostNode)
    });
    if (!host.bridge || !host.nic) {
      for (const p of pods) hidden.set(objectKey(p), id);
      return;
    }
    // Asked for only here: a collapsed node's netns is not compiled (500 of them take over a second).
    const ns = dp.netns(n.name);

    pods.forEach((p, j) => {
      const place = host.pods[j];
      nodes.push({
        id: podId(place.key),
        type: 'pod',
        parentId: id,
        position: place.at,
        width: POD_W,
        height: POD_H,
        ariaLabel: `pod ${p.name} ${p.podIP ?? ''} ${podStateWord(p) ?? ''}`.replace(/ +/g, ' ').trim(),
        data: { pod: p, veth: shapes[i].pods[j].veth, ...(isolation.has(place.key) ? { isolation: isolation.get(place.key) } : {}) } satisfies PodData,
      });
    });

    const bridge = ns?.devices.find((d) => d.kind === 'bridge');
    const bid = bridgeId(n.name);
    nodes.push({
      id: bid,
      type: 'bridge',
      parentId: id,
      position: host.bridge.at,
      width: host.bridge.box.w,
      height: BRIDGE_H,
      ...DEVICE, // a device inside a node: nothing to do with it by keyboard
      ariaLabel: bridge ? `bridge ${bridge.name} on ${n.name}` : `routing on ${n.name}`,
      data: {
        node: n.name,
        name: bridge?.name ?? null,
        address: cidrOf(bridge?.addresses[0]),
        ...(cniOf(s.cluster).bridge === undefined ? { noBridge: cniOf(s.cluster).noBridgeSaid ?? "each pod's veth is routed by the node" } : {}),
        ...(gatewayDevice(ns, cniOf(s.cluster).podGatewayDevice) ?? {}),
        down: bridge !== undefined && !ns!.devices.some((d) => d.master === bridge.name),
      } satisfies BridgeData,
    });
    for (const place of host.pods) {
      edges.push({ id: vethEdgeId(place.key), source: podId(place.key), target: bid, type: 'veth', ...WIRE, data: { detour: place.detour } });
    }

    const eth0 = ns?.devices.find((d) => d.name === 'eth0');
    const nid = nicId(n.name);
    nodes.push({
      id: nid,
      type: 'nic',
      parentId: id,
      position: host.nic.at,
      width: NIC_W,
      height: NIC_H,
      ...DEVICE,
      data: { node: n.name, address: cidrOf(eth0?.addresses[0]) ?? n.internalIP ?? '' } satisfies NicData,
    });
    edges.push({ id: uplinkEdgeId(n.name), source: bid, target: nid, type: 'wire', ...WIRE, data: { label: 'host routing' } });

    if (host.tunnel) {
      const vx = ns!.devices.find(isTunnel)!;
      nodes.push({
        id: tunnelId(n.name),
        type: 'tunnel',
        parentId: id,
        position: host.tunnel.at,
        width: TUNNEL_W,
        height: NIC_H,
        ...DEVICE,
        ariaLabel: `${encapsulationOf(vx)} device ${vx.name} on ${n.name}${vx.kind === 'ipip' ? ' (modelled, not kernel-checked)' : ''}`,
        data: { name: vx.name, encapsulation: encapsulationOf(vx), address: vx.addresses[0]?.ip, mtu: vx.mtu } satisfies TunnelData,
      });
    }
  });

  // The node network: the L2 segment every node's eth0 is plugged into, one bar under each row.
  const vpcFabric = dp.netns(NODE_NETWORK)?.vpcFabric !== undefined;
  const networkName = vpcFabric ? 'VPC fabric' : 'node network';
  const bgpMesh = cniOf(s.cluster).routesLearnedByBgp && s.nodes.length > 1 ? `BGP full mesh: BIRD on each of the ${s.nodes.length} nodes (AS 64512) tells the others its blocks` : undefined;
  g.bars.forEach((bar, r) => {
    nodes.push({
      id: networkId(r),
      type: 'network',
      position: { x: bar.x, y: bar.y },
      ...sized(bar),
      ...DEVICE,
      ariaLabel: racks ? `${networkName} ${subnets[r]} (rack ${r + 1})` : `${networkName} ${s.cluster.nodeNetwork}${r === 0 ? '' : ` (row ${r + 1})`}`,
      // The BGP mesh is the cluster's, said once: on the first bar (racks: its sessions cross the router).
      data: { cidr: racks ? subnets[r] : s.cluster.nodeNetwork, vpcFabric, ...(bgpMesh && r === 0 ? { bgpMesh: racks ? `${bgpMesh}, its sessions crossing the router` : bgpMesh } : {}), ...(racks ? { rack: `its own segment: to the other racks only through the router, ${gatewayOf(subnets[r])}` } : {}) } satisfies NetworkData,
    });
    // Rows of one node network are one segment (joined at the left); racks are not: a router joins them.
    if (r > 0 && !racks) edges.push({ id: trunkEdgeId(r), source: networkId(r - 1), target: networkId(r), sourceHandle: 'trunk-out', targetHandle: 'trunk-in', type: 'trunk', ...WIRE });
    if (racks && g.router) edges.push({ id: `wire:router:${r}`, source: networkId(r), sourceHandle: 'router', target: ROUTER_ID, type: 'step', ...WIRE });
  });
  if (racks && g.router) {
    nodes.push({
      id: ROUTER_ID,
      type: 'router',
      position: { x: g.router.x, y: g.router.y },
      ...sized(g.router),
      ...DEVICE,
      ariaLabel: `router joining the node networks ${subnets.join(', ')}`,
      data: { addresses: subnets.map((sub) => `${gatewayOf(sub)} on ${sub}`) } satisfies RouterData,
    });
  }
  // A collapsed node's wire leaves its box (its eth0 is not drawn).
  for (const host of g.hosts) edges.push({ id: wireEdgeId(host.name), source: host.nic ? nicId(host.name) : nodeId(host.name), ...(host.nic ? {} : { sourceHandle: 'wire' }), target: networkId(host.row), type: 'wire', ...WIRE });

  const extAddr = dp.netns('external')?.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip ?? '';
  nodes.push({
    id: EXTERNAL_ID,
    type: 'external',
    position: { x: g.external.x, y: g.external.y },
    ...sized(g.external),
    draggable: false,
    selectable: false,
    ariaLabel: `external client ${extAddr}`,
    data: { address: extAddr } satisfies ExternalData,
  });
  if (g.externalWire === 'down') edges.push({ id: wireEdgeId(EXTERNAL_ID), source: EXTERNAL_ID, sourceHandle: 'down', target: networkId(), type: 'wire', ...WIRE });
  else edges.push({ id: wireEdgeId(EXTERNAL_ID), source: EXTERNAL_ID, target: networkId(), targetHandle: 'side', type: 'side', ...WIRE });

  // The tunnel's own VNI and port (flannel's 1/8472, Calico's 4096/4789), and whether packets use it at all.
  const tunnel = cniOf(s.cluster).tunnel;
  const unused = cniOf(s.cluster).calico?.vxlanMode === 'CrossSubnet' ? (racks ? ' · CrossSubnet: only between racks' : ' · CrossSubnet: unused, the nodes share one subnet') : '';
  const pipe: VxlanData = {
    label: tunnel ? `VXLAN tunnel · ${tunnel.vni === 'identity' ? "VNI = the source's security identity" : `VNI ${tunnel.vni}`} · UDP ${tunnel.port}${unused}` : 'IP-in-IP tunnel · modelled, not kernel-checked: no IPIP in this kernel',
  };
  for (const [a, b] of g.tunnelPipes) {
    edges.push({ id: vxlanEdgeId(a, b), source: tunnelId(a), target: tunnelId(b), sourceHandle: 'out', targetHandle: 'in', type: 'vxlan', ...WIRE, zIndex: 1, data: pipe });
  }

  // Services above the nodes; edges to their endpoints (all of them, or the focused Service's when there are many).
  const endpoints = endpointsByService(s);
  const drawAll = endpoints.reduce((n, pods) => n + pods.length, 0) <= MAX_ENDPOINT_EDGES;
  s.services.forEach((v, i) => {
    const key = objectKey(v);
    const id = serviceId(key);
    const box = g.services[i];
    nodes.push({
      id,
      type: 'service',
      position: { x: box.x, y: box.y },
      width: SERVICE_W,
      height: SERVICE_H,
      ariaLabel: `service ${v.name} ${v.clusterIP ?? ''}`.trim(),
      data: { service: v, endpoints: endpoints[i].length } satisfies ServiceData,
      zIndex: 2,
    });
    if (!drawAll && key !== focusService) return;
    // An endpoint on a collapsed node: one wire to that node's box, never a wire to a pod not drawn.
    const toNode = new Set<string>();
    for (const p of endpoints[i]) {
      const node = hidden.get(objectKey(p));
      if (node && toNode.has(node)) continue;
      if (node) toNode.add(node);
      const target = node ?? podId(objectKey(p));
      edges.push({ id: endpointEdgeId(key, node ?? objectKey(p)), source: id, target, ...(node ? { targetHandle: 'endpoints' } : {}), type: 'endpoint', ...WIRE, zIndex: 1 });
    }
  });

  return { nodes, edges, boxes: g.boxes, vethOwner: g.vethOwner, networkBars: g.networkBars, upperRowPods: g.upperRowPods, bridgeDevices: g.bridgeDevices };
}
