// ENGINE-PENDING: a stand-in with the engine's signatures so the playground can be
// built and looked at before src/sim/index.ts lands. Replaced by a re-export of the
// real engine; nothing here is shown to a person once that happens.
import type { Result } from '../sim/errors.ts';
import { ok, fail } from '../sim/errors.ts';
import type { Scenario } from '../sim/model.ts';
import { objectKey, selectorMatches } from '../sim/model.ts';
import type { Device, Netns } from '../sim/dataplane/types.ts';
import type { Hop, Trace, TraceRequest } from '../sim/trace/types.ts';

export { formatIssue } from '../sim/errors.ts';

export interface Dataplane {
  scenario: Scenario;
  netnsNames(): string[];
  netns(name: string): Netns | undefined;
}

const ip4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const num = (ip: string) => ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);

export function allocate(s: Scenario): Result<Scenario> {
  const base = num(s.cluster.nodeNetwork.split('/')[0]);
  const usedNodeIPs = new Set(s.nodes.map((n) => n.internalIP).filter(Boolean));
  const usedCidrs = new Set(s.nodes.map((n) => n.podCIDR).filter(Boolean));
  const podBase = num(s.cluster.podCIDR.split('/')[0]);
  const nodes = s.nodes.map((n) => {
    const m = { ...n };
    if (!m.internalIP) {
      for (let i = 11; ; i++) if (!usedNodeIPs.has(ip4(base + i))) { m.internalIP = ip4(base + i); usedNodeIPs.add(m.internalIP); break; }
    }
    if (!m.podCIDR) {
      for (let i = 0; ; i++) if (!usedCidrs.has(`${ip4(podBase + i * 256)}/24`)) { m.podCIDR = `${ip4(podBase + i * 256)}/24`; usedCidrs.add(m.podCIDR); break; }
    }
    return m;
  });
  const used = new Set(s.pods.map((p) => p.podIP).filter(Boolean));
  const pods = s.pods.map((p) => {
    if (p.podIP) return p;
    const node = nodes.find((n) => n.name === p.nodeName);
    if (!node) return p;
    const net = num(node.podCIDR!.split('/')[0]);
    let i = node.lastReservedIP ? num(node.lastReservedIP) - net + 1 : 2;
    while (used.has(ip4(net + i))) i++;
    if (i > 254) return p;
    node.lastReservedIP = ip4(net + i);
    used.add(ip4(net + i));
    return { ...p, podIP: ip4(net + i) };
  });
  const svcBase = num(s.cluster.serviceCIDR.split('/')[0]);
  const usedSvc = new Set(s.services.map((v) => v.clusterIP).filter(Boolean));
  let np = 30080;
  const services = s.services.map((v) => {
    const m = { ...v, ports: v.ports.map((p) => ({ ...p })) };
    if (!m.clusterIP) for (let i = 11; ; i++) if (!usedSvc.has(ip4(svcBase + i))) { m.clusterIP = ip4(svcBase + i); usedSvc.add(m.clusterIP); break; }
    for (const p of m.ports) if (m.type === 'NodePort' && !p.nodePort) p.nodePort = np++;
    return m;
  });
  return ok({ ...s, nodes, pods, services });
}

function dev(name: string, kind: Device['kind'], addr?: string, extra: Partial<Device> = {}): Device {
  return { name, kind, mac: '02:42:ac:11:00:02', mtu: 1500, addresses: addr ? [{ ip: addr.split('/')[0], prefixLength: Number(addr.split('/')[1] ?? 24) }] : [], ...extra };
}
const emptyTable = (name: 'nat' | 'filter') => ({ name, chains: [], rules: [] });
function vethName(key: string): string {
  let h = 0x811c9dc5;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `veth${h.toString(16).padStart(8, '0')}`;
}

export function compile(s: Scenario): Dataplane {
  const map = new Map<string, Netns>();
  for (const n of s.nodes) {
    const gw = n.podCIDR ? ip4(num(n.podCIDR.split('/')[0]) + 1) + '/24' : undefined;
    const devices: Device[] = [dev('lo', 'loopback', '127.0.0.1/8'), dev('eth0', 'ethernet', `${n.internalIP}/24`, { peer: { netns: 'node-network', device: n.name } })];
    if (s.cluster.cni !== 'vpc') devices.push(dev('cni0', 'bridge', gw));
    if (s.cluster.cni === 'flannel-vxlan') devices.push(dev('flannel.1', 'vxlan', `${n.podCIDR!.split('/')[0]}/32`, { mtu: 1450 }));
    for (const p of s.pods.filter((p) => p.nodeName === n.name)) {
      devices.push(dev(vethName(objectKey(p)), 'veth', undefined, { master: s.cluster.cni === 'vpc' ? undefined : 'cni0', peer: { netns: objectKey(p), device: 'eth0' } }));
    }
    map.set(n.name, { name: n.name, kind: 'node', node: n.name, devices, routes: [], neighbours: [], fdb: [], nat: emptyTable('nat'), filter: emptyTable('filter'), listeners: [] });
  }
  for (const p of s.pods) {
    map.set(objectKey(p), {
      name: objectKey(p), kind: 'pod', node: p.nodeName,
      devices: [dev('lo', 'loopback', '127.0.0.1/8'), dev('eth0', 'veth', `${p.podIP}/24`, { peer: { netns: p.nodeName!, device: vethName(objectKey(p)) } })],
      routes: [], neighbours: [], fdb: [], nat: emptyTable('nat'), filter: emptyTable('filter'),
      listeners: p.ports.map((x) => ({ port: x.containerPort, protocol: x.protocol })),
    });
  }
  map.set('node-network', { name: 'node-network', kind: 'switch', devices: [], routes: [], neighbours: [], fdb: [], nat: emptyTable('nat'), filter: emptyTable('filter'), listeners: [] });
  map.set('external', { name: 'external', kind: 'external', devices: [dev('eth0', 'ethernet', '192.168.56.200/24')], routes: [], neighbours: [], fdb: [], nat: emptyTable('nat'), filter: emptyTable('filter'), listeners: [] });
  return { scenario: s, netnsNames: () => [...map.keys()], netns: (n) => map.get(n) };
}

export function trace(dp: Dataplane, req: TraceRequest): Result<Trace> {
  const s = dp.scenario;
  if (req.from.kind !== 'pod') return fail([{ document: 'trace', field: 'from', reason: 'the stand-in engine only traces from pods' }]);
  const fromKey = `${req.from.namespace}/${req.from.name}`;
  const src = s.pods.find((p) => objectKey(p) === fromKey);
  if (!src) return fail([{ document: 'trace', field: 'from', reason: `no pod ${fromKey}` }]);
  let dst = undefined as (typeof s.pods)[number] | undefined;
  let dstAddr = '';
  let dnat: string | undefined;
  let port = req.to.port;
  if (req.to.kind === 'pod') {
    const k = `${req.to.namespace}/${req.to.name}`;
    dst = s.pods.find((p) => objectKey(p) === k);
    dstAddr = `${dst?.podIP}:${port}`;
  } else if (req.to.kind === 'service') {
    const k = `${req.to.namespace}/${req.to.name}`;
    const svc = s.services.find((v) => objectKey(v) === k);
    if (!svc) return fail([{ document: 'trace', field: 'to', reason: `no Service ${k}` }]);
    dst = s.pods.find((p) => selectorMatches(svc.selector, p.labels));
    const sp = svc.ports.find((p) => p.port === port) ?? svc.ports[0];
    dstAddr = `${svc.clusterIP}:${sp.port}`;
    port = typeof sp.targetPort === 'number' ? sp.targetPort : 8080;
    dnat = `${dst?.podIP}:${port}`;
  }
  if (!dst) return ok({ verdict: 'dropped', reason: 'no endpoint', candidates: [], hops: [], reply: [] });
  const srcAddr = `${src.podIP}:40000`;
  const hops: Hop[] = [];
  let cur = { src: srcAddr, dst: dstAddr, proto: req.proto } as Hop['packet'];
  const add = (node: string, netns: string, device: string, action: Hop['action'], why: string, packet = cur) => {
    cur = packet;
    hops.push({ node, netns, device, action, why, packet: { ...packet } });
  };
  const sn = src.nodeName!;
  const dn = dst.nodeName!;
  add(sn, fromKey, 'eth0', 'send', 'socket connect()');
  add(sn, fromKey, 'eth0', 'route', 'default via gateway', cur);
  add(sn, fromKey, 'eth0', 'transmit', 'out of the pod over its veth');
  add(sn, sn, vethName(fromKey), 'receive', 'host end of the veth pair');
  if (dnat) add(sn, sn, vethName(fromKey), 'dnat', 'KUBE-SEP DNAT', { ...cur, dst: dnat });
  const dstKey = objectKey(dst);
  if (sn === dn) {
    add(sn, sn, 'cni0', 'bridge', 'FDB entry for the destination MAC');
    add(sn, sn, vethName(dstKey), 'transmit', 'bridge port');
  } else {
    const a = s.nodes.find((n) => n.name === sn)!;
    const b = s.nodes.find((n) => n.name === dn)!;
    if (s.cluster.cni === 'flannel-vxlan') {
      add(sn, sn, 'flannel.1', 'encapsulate', 'route via flannel.1', { ...cur, outer: { src: a.internalIP!, dst: b.internalIP!, proto: 'udp', dport: 8472, vni: 1 } });
    } else add(sn, sn, 'eth0', 'route', `${b.podCIDR} via ${b.internalIP}`);
    add(sn, sn, 'eth0', 'transmit', 'out of the node');
    add('', 'node-network', b.name, 'bridge', 'switch');
    add(dn, dn, 'eth0', 'receive', 'into the node');
    if (s.cluster.cni === 'flannel-vxlan') add(dn, dn, 'flannel.1', 'decapsulate', 'VNI 1', { ...cur, outer: undefined });
    add(dn, dn, 'cni0', 'bridge', 'to the pod');
    add(dn, dn, vethName(dstKey), 'transmit', 'bridge port');
  }
  add(dn, dstKey, 'eth0', 'receive', 'into the pod');
  add(dn, dstKey, 'eth0', 'deliver', 'socket listening');
  return ok({ verdict: 'delivered', reason: 'a socket accepted it', endpoint: dstKey, candidates: [dstKey], hops, reply: [] });
}

export function show(dp: Dataplane, netns: string): Result<{ addr: string; route: string; nat: string }> {
  const ns = dp.netns(netns);
  if (!ns) return fail([{ document: 'show', field: 'netns', reason: `no netns ${netns}` }]);
  const addr = ns.devices.map((d) => `${d.name.padEnd(16)} UP  ${d.addresses.map((a) => `${a.ip}/${a.prefixLength}`).join(' ')}`).join('\n');
  return ok({ addr, route: 'default via 10.244.0.1 dev eth0\n10.244.0.0/24 dev eth0 proto kernel scope link', nat: '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT' });
}

export function parseScenario(text: string, _source?: string): Result<Scenario> {
  try {
    const v = JSON.parse(text) as Scenario;
    if (!v || !Array.isArray(v.nodes)) throw new Error('not a scenario');
    return ok(v);
  } catch (e) {
    return fail([{ document: 'file', field: '', reason: `cannot read this file: ${(e as Error).message}` }]);
  }
}
export function loadScenario(text: string, source?: string): Result<Scenario> {
  const r = parseScenario(text, source);
  return r.ok ? allocate(r.value) : r;
}
export function writeScenario(s: Scenario): string {
  return JSON.stringify(s, null, 2);
}
