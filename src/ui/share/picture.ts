// The picture for slides: the cluster as the canvas draws it (the same geometry:
// ../canvas/layout.ts and ../canvas/packet/anchors.ts) with the packet's path, and
// beside it every hop of the walk in full, as one standalone SVG. A clean vector
// drawing built from the engine's facts, not a screenshot of the page: what it says
// is what the Walkthrough says (the hop's place, action, sentence, headers, TTL and
// the rule that matched), and the verdict is the engine's. Pure: no DOM, so it is
// tested in Node; the PNG is this SVG drawn into a canvas (./download.ts).
import { podStateWord } from '../../sim/podStatus.ts';
import type { Scenario } from '../../sim/model.ts';
import type { Hop, Trace, TraceRequest } from '../../sim/trace/types.ts';
import type { Dataplane } from '../../store/engine.ts';
import type { XY } from '../../store/store.ts';
import { layout, type BridgeData, type ExternalData, type HostData, type NetworkData, type NicData, type PodData, type ServiceData, type TunnelData } from '../canvas/layout.ts';
import { anchorsOf } from '../canvas/packet/anchors.ts';
import { trailOf } from '../canvas/packet/trail.ts';
import type { Box } from '../canvas/geometry.ts';

/** The colours of the drawing: the page passes its tokens (tokens.css), so the picture matches the canvas. */
export interface Palette {
  ink: string;
  muted: string;
  paper: string;
  surface: string;
  line: string;
  node: string;
  nodeBg: string;
  nodeLine: string;
  pod: string;
  podBg: string;
  podLine: string;
  bridge: string;
  bridgeBg: string;
  tunnel: string;
  tunnelBg: string;
  service: string;
  serviceBg: string;
  serviceLine: string;
  network: string;
  external: string;
  packet: string;
  ok: string;
  bad: string;
}

/** The tokens each palette colour is read from (see tokens.css). */
export const PALETTE_TOKENS: Record<keyof Palette, string> = {
  ink: '--ink',
  muted: '--muted',
  paper: '--paper',
  surface: '--surface',
  line: '--line',
  node: '--node',
  nodeBg: '--node-bg',
  nodeLine: '--node-line',
  pod: '--pod',
  podBg: '--pod-bg',
  podLine: '--pod-line',
  bridge: '--bridge',
  bridgeBg: '--bridge-bg',
  tunnel: '--tunnel',
  tunnelBg: '--tunnel-bg',
  service: '--service',
  serviceBg: '--service-bg',
  serviceLine: '--service-line',
  network: '--network',
  external: '--external',
  packet: '--packet',
  ok: '--ok',
  bad: '--bad',
};

export interface PictureInput {
  scenario: Scenario;
  positions: Record<string, XY>;
  dataplane: Dataplane;
  request: TraceRequest | null;
  /** The engine's walk of the request (null: no packet, or the engine refused it). */
  trace: Trace | null;
  /** The hops played: the request's, then the reply's when shown. */
  hops: Hop[];
  /** The hop on screen (0-based). */
  step: number;
  /** What the node network is called here ('node network', 'VPC fabric'). */
  nodeNetwork: string;
  palette: Palette;
}

/** Escape text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Break text into lines of at most `width` characters, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let w = word;
      while (w.length > width) {
        if (line) lines.push(line);
        lines.push(w.slice(0, width));
        w = w.slice(width);
        line = '';
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        lines.push(line);
        line = w;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Where a hop is, as the Walkthrough says it. */
export function hopPlace(h: Hop, nodeNetwork: string): string {
  return h.netns === 'node-network' ? nodeNetwork : `${h.netns} · ${h.device}`;
}

/** A request's ends in words: `client → web:80 (tcp)`. */
export function requestTitle(r: TraceRequest): string {
  const from = r.from.kind === 'external' ? 'external client' : r.from.name;
  const to = r.to.kind === 'ip' ? `${r.to.ip}:${r.to.port}` : `${r.to.name}:${r.to.port}`;
  return `${from} → ${to} (${r.proto})`;
}

/** The file name for the picture: `podpath-client-to-web.svg`. */
export function pictureFileName(r: TraceRequest | null, ext: 'png' | 'svg'): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  if (!r) return `podpath-cluster.${ext}`;
  const from = r.from.kind === 'external' ? 'external' : r.from.name;
  const to = r.to.kind === 'ip' ? r.to.ip : r.to.name;
  return `podpath-${slug(from)}-to-${slug(to)}.${ext}`;
}

const FONT = "Inter, 'Segoe UI', 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif";
const MONO = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
const PAD = 40;
const LIST_W = 760;
/** Characters per line of the hop list at its type size (measured for the sans face at 15px, with room). */
const WRAP = 88;
/** The same for the monospaced lines (headers, rules) at 14px. */
const WRAP_MONO = 82;
const LINE = 20;

type Attrs = Record<string, string | number | undefined>;
const attrs = (a: Attrs) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
const el = (name: string, a: Attrs, body?: string) => (body === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${body}</${name}>`);
const text = (x: number, y: number, s: string, a: Attrs = {}) => el('text', { x, y, ...a }, escapeXml(s));
const rect = (b: Box, a: Attrs) => el('rect', { x: b.x, y: b.y, width: b.w, height: b.h, ...a });

/** The whole picture as SVG text; the printout leaves out the hop list and the title (it has them as text). */
export function pictureSvg(input: PictureInput, { withHops = true, withTitle = true }: { withHops?: boolean; withTitle?: boolean } = {}): string {
  const { scenario: s, palette: c } = input;
  const l = layout(s, input.positions, input.dataplane);
  const box = (id: string) => l.boxes.get(id);
  // Nodes and the node network at the back, the wires over them, the devices and pods on top.
  const back: string[] = [];
  const drawing: string[] = [];
  const wires: string[] = [];
  const line = (a: XY, b: XY, colour: string, extra: Attrs = {}) => wires.push(el('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: colour, 'stroke-width': 3, ...extra }));
  const bottom = (b: Box): XY => ({ x: b.x + b.w / 2, y: b.y + b.h });
  const top = (b: Box): XY => ({ x: b.x + b.w / 2, y: b.y });

  for (const n of l.nodes) {
    const b = box(n.id);
    if (!b) continue;
    const x = b.x + 14;
    switch (n.type) {
      case 'host': {
        const d = n.data as HostData;
        back.push(rect(b, { rx: 14, fill: c.nodeBg, stroke: c.nodeLine, 'stroke-width': 2 }));
        drawing.push(text(x, b.y + 32, `node ${d.node.name}`, { 'font-size': 22, 'font-weight': 700, fill: c.node }));
        drawing.push(text(x, b.y + 58, `IP ${d.node.internalIP ?? '—'} · ${d.node.podCIDR ? `podCIDR ${d.node.podCIDR}` : d.node.calicoBlocks?.length ? `blocks ${d.node.calicoBlocks.join(' ')}` : 'pods use node-network IPs'} · ${d.cni}`, { 'font-size': 15, fill: c.ink }));
        break;
      }
      case 'pod': {
        const d = n.data as PodData;
        // A dump's pod that is no ready endpoint: dashed, its state said, as on the canvas.
        const state = podStateWord(d.pod);
        drawing.push(rect(b, { rx: 10, fill: c.podBg, stroke: c.podLine, 'stroke-width': 2, 'stroke-dasharray': state ? '6 4' : undefined }));
        drawing.push(text(x, b.y + 30, `pod ${d.pod.name}`, { 'font-size': d.pod.name.length > 16 ? 14 : 18, 'font-weight': 700, fill: c.pod }));
        drawing.push(text(x, b.y + 58, `eth0 ${d.pod.podIP ?? '—'}`, { 'font-size': 15, 'font-family': MONO, fill: c.ink }));
        const ports = d.pod.ports.map((p) => `${p.containerPort}/${p.protocol}${p.hostPort ? ` ⇠ host:${p.hostPort}` : ''}`).join(' ');
        drawing.push(text(x, b.y + 84, `${state ? `${state} · ` : ''}${ports || 'no ports'}`, { 'font-size': 14, fill: c.muted }));
        if (d.veth) drawing.push(text(x, b.y + 110, d.veth, { 'font-size': 13, 'font-family': MONO, fill: c.muted }));
        break;
      }
      case 'bridge': {
        const d = n.data as BridgeData;
        drawing.push(rect(b, { rx: 8, fill: d.name ? c.bridgeBg : c.surface, stroke: c.bridge, 'stroke-width': 2, 'stroke-dasharray': d.name ? undefined : '6 4' }));
        const label = d.name
          ? `bridge ${d.name} ${d.address ?? ''} · ${d.down ? 'no port left: DOWN' : "pods' gateway"}`
          : d.noBridge
            ? `no bridge: ${d.noBridge}`
            : 'no cni0 yet: the bridge plugin creates it with the first pod';
        drawing.push(text(x, b.y + b.h / 2 + 6, label, { 'font-size': 16, fill: c.bridge }));
        break;
      }
      case 'nic': {
        const d = n.data as NicData;
        drawing.push(rect(b, { rx: 8, fill: c.surface, stroke: c.node, 'stroke-width': 2 }));
        drawing.push(text(x, b.y + b.h / 2 + 6, `eth0 ${d.address}`, { 'font-size': 16, 'font-family': MONO, fill: c.ink }));
        break;
      }
      case 'tunnel': {
        const d = n.data as TunnelData;
        drawing.push(rect(b, { rx: 8, fill: c.tunnelBg, stroke: c.tunnel, 'stroke-width': 2 }));
        drawing.push(text(b.x + 10, b.y + 24, `${d.name} · ${d.encapsulation}`, { 'font-size': 15, 'font-weight': 700, fill: c.tunnel }));
        drawing.push(text(b.x + 10, b.y + 46, `${d.address ? `${d.address} · ` : ''}MTU ${d.mtu}`, { 'font-size': 13, 'font-family': MONO, fill: c.ink }));
        break;
      }
      case 'network': {
        const d = n.data as NetworkData;
        back.push(rect(b, { rx: 8, fill: c.network }));
        drawing.push(text(x + 6, b.y + b.h / 2 + 6, `${d.vpcFabric ? 'VPC fabric' : 'node network'} ${d.cidr}`, { 'font-size': 18, 'font-weight': 700, fill: c.surface }));
        break;
      }
      case 'external': {
        const d = n.data as ExternalData;
        drawing.push(rect(b, { rx: 10, fill: c.surface, stroke: c.external, 'stroke-width': 2 }));
        drawing.push(text(x, b.y + 34, 'external client', { 'font-size': 18, 'font-weight': 700, fill: c.external }));
        drawing.push(text(x, b.y + 62, d.address, { 'font-size': 15, 'font-family': MONO, fill: c.ink }));
        break;
      }
      case 'service': {
        const d = n.data as ServiceData;
        const v = d.service;
        drawing.push(rect(b, { rx: 10, fill: c.serviceBg, stroke: c.serviceLine, 'stroke-width': 2 }));
        drawing.push(text(x, b.y + 30, `service ${v.name}`, { 'font-size': 18, 'font-weight': 700, fill: c.service }));
        drawing.push(text(x, b.y + 58, `${v.type === 'NodePort' ? 'NodePort ' : ''}${v.clusterIP ?? ''}`, { 'font-size': 15, 'font-family': MONO, fill: c.ink }));
        drawing.push(text(x, b.y + 82, v.ports.map((p) => `:${p.port}→${p.targetPort}${p.nodePort ? ` (node:${p.nodePort})` : ''}`).join(' '), { 'font-size': 14, fill: c.ink }));
        drawing.push(text(x, b.y + 106, `${d.endpoints} endpoint${d.endpoints === 1 ? '' : 's'}`, { 'font-size': 13, fill: c.muted }));
        break;
      }
    }
  }

  // The wires, under the boxes: veth (pod → bridge), bridge → eth0, eth0 → node network, VXLAN pipes, Service → endpoints.
  for (const e of l.edges) {
    const a = box(e.source);
    const b = box(e.target);
    if (!a || !b) continue;
    if (e.type === 'vxlan') line(bottom(a), bottom(b), c.tunnel, { 'stroke-dasharray': '10 6', 'stroke-width': 4 });
    else if (e.type === 'endpoint') line(bottom(a), top(b), c.service, { 'stroke-dasharray': '4 6', 'stroke-width': 2, opacity: 0.6 });
    else if (e.type === 'side') line({ x: a.x + a.w, y: a.y + a.h / 2 }, { x: b.x, y: b.y + b.h / 2 }, c.network);
    else if (e.type === 'trunk') line({ x: a.x + 4, y: a.y + a.h / 2 }, { x: b.x + 4, y: b.y + b.h / 2 }, c.network, { 'stroke-width': 6 });
    // Straight down, as the canvas draws them: a veth to its bridge, the bridge to eth0, eth0 to the node network.
    else line(bottom(a), { x: Math.min(Math.max(a.x + a.w / 2, b.x + 8), b.x + b.w - 8), y: b.y }, e.type === 'veth' ? c.pod : c.node);
  }

  // The packet's path: along the wires between the places the canvas plays it through (as its trail), the request solid, the reply dashed.
  const path: string[] = [];
  const anchors = anchorsOf(input.hops, l);
  const requestCount = input.trace?.hops.length ?? 0;
  const legs: [number, number, Attrs][] = [
    [0, Math.min(requestCount, anchors.length), {}],
    [requestCount, anchors.length, { 'stroke-dasharray': '12 8' }],
  ];
  for (const [from, to, extra] of legs) {
    const leg = anchors.slice(from, to);
    const pts = trailOf(leg, leg.length - 1, l);
    if (pts.length > 1) path.push(el('polyline', { points: pts.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', stroke: c.packet, 'stroke-width': 4, 'stroke-linejoin': 'round', 'stroke-linecap': 'round', opacity: 0.7, ...extra }));
  }
  const current = anchors[Math.min(input.step, anchors.length - 1)];
  if (current) path.push(el('circle', { cx: current.x, cy: current.y, r: 11, fill: c.packet, stroke: c.surface, 'stroke-width': 3 }));

  // The drawing's extent.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of l.boxes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, 400, 200];
  const HEAD = withTitle ? 70 : 0;
  const dx = PAD - minX;
  const dy = PAD + HEAD - minY;
  const drawW = maxX - minX;
  const drawH = maxY - minY;

  // The hop list, beside the drawing: blocks of lines (a hop is never split), in as
  // many columns as bring the picture nearest a 16:9 slide.
  type Line = { dx: number; dy: number; s: string; a: Attrs };
  type Block = { lines: Line[]; h: number };
  const blocks: Block[] = [];
  const block = (lines: Line[], after: number): void => void blocks.push({ lines, h: lines.reduce((n, l) => n + l.dy, 0) + after });
  const t = input.trace;
  const sans = (size: number, fill: string, bold = false): Attrs => ({ 'font-size': size, fill, ...(bold ? { 'font-weight': 700 } : {}) });
  const mono: Attrs = { 'font-size': 14, 'font-family': MONO, fill: c.muted };
  block([{ dx: 0, dy: 30, s: t ? `The walk: ${input.hops.length} hops` : 'No packet traced', a: sans(22, c.ink, true) }], 4);
  input.hops.forEach((h, i) => {
    // Clamped as the Walkthrough clamps it (the cluster may have changed under the step).
    const here = i === Math.min(input.step, input.hops.length - 1);
    const lines: Line[] = [];
    if (i === requestCount && i > 0) lines.push({ dx: 0, dy: 28, s: 'The reply', a: sans(18, c.ink, true) });
    lines.push({ dx: 0, dy: LINE + 2, s: `${i + 1}. ${hopPlace(h, input.nodeNetwork)} — ${h.action}${here ? '   ◀ the packet is here' : ''}`, a: sans(16, here ? c.packet : c.ink, true) });
    for (const ln of wrap(h.why, WRAP)) lines.push({ dx: 22, dy: LINE, s: ln, a: sans(15, c.ink) });
    const p = h.packet;
    const headers = `${p.proto.toUpperCase()} ${p.src} → ${p.dst} · TTL ${p.ttl}${p.outer ? ` · outer ${p.outer.src} → ${p.outer.dst} UDP ${p.outer.dport} VNI ${p.outer.vni}` : ''}`;
    for (const ln of wrap(headers, WRAP_MONO)) lines.push({ dx: 22, dy: LINE, s: ln, a: mono });
    if (h.matched) for (const ln of wrap(`matched: ${h.matched}`, WRAP_MONO)) lines.push({ dx: 22, dy: LINE, s: ln, a: mono });
    block(lines, 10);
  });
  if (t) {
    const lines: Line[] = wrap(`${t.verdict}${t.endpoint ? ` at ${t.endpoint}` : ''}: ${t.reason}`, WRAP - 16).map((ln, k) => ({ dx: 0, dy: LINE + 4, s: ln, a: sans(17, t.verdict === 'delivered' ? c.ok : c.bad, k === 0) }));
    if (t.candidates.length > 1) for (const ln of wrap(`kube-proxy could pick any of: ${t.candidates.join(', ')}`, WRAP)) lines.push({ dx: 0, dy: LINE, s: ln, a: sans(14, c.muted) });
    block(lines, 0);
  }
  const listX = PAD + drawW + PAD;
  const top0 = PAD + HEAD;
  const total = blocks.reduce((n, b) => n + b.h, 0);
  /** Columns of blocks, none taller than `limit` unless one block alone is. */
  const columnsOf = (limit: number): Block[][] => {
    const cols: Block[][] = [[]];
    let used = 0;
    for (const b of blocks) {
      if (used + b.h > limit && cols[cols.length - 1].length) {
        cols.push([]);
        used = 0;
      }
      cols[cols.length - 1].push(b);
      used += b.h;
    }
    return cols;
  };
  let columns: Block[][] = [blocks];
  let best = Infinity;
  for (let k = 1; k <= 4 && withHops; k++) {
    // Blocks do not split, so an even share may spill into one more column: raise the limit until it fits in k.
    let limit = Math.max(drawH, Math.ceil(total / k));
    let cols = columnsOf(limit);
    while (cols.length > k) cols = columnsOf((limit += LINE * 2));
    const w = listX + cols.length * (LIST_W + PAD);
    const h = top0 + Math.max(drawH, ...cols.map((col) => col.reduce((n, b) => n + b.h, 0))) + PAD;
    const off = Math.abs(Math.log(w / h / (16 / 9)));
    if (off < best) [best, columns] = [off, cols];
  }
  const list: string[] = [];
  let listBottom = top0;
  columns.forEach((col, k) => {
    const x = listX + k * (LIST_W + PAD);
    let y = top0 - 8;
    for (const b of col) {
      let ly = y;
      for (const l of b.lines) list.push(text(x + l.dx, (ly += l.dy), l.s, l.a));
      y += b.h;
    }
    listBottom = Math.max(listBottom, y);
  });

  const width = Math.ceil(withHops ? listX + columns.length * (LIST_W + PAD) : listX);
  const height = Math.ceil(Math.max(top0 + drawH, withHops ? listBottom : 0) + PAD);
  const title = input.request ? `podpath · ${requestTitle(input.request)}` : 'podpath · the cluster';
  const subtitle = `CNI ${s.cluster.cni} · kube-proxy ${s.cluster.kubeProxy} · podCIDR ${s.cluster.podCIDR} · ${s.nodes.length} node${s.nodes.length === 1 ? '' : 's'}, ${s.pods.length} pod${s.pods.length === 1 ? '' : 's'}`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">`,
    el('title', {}, escapeXml(title)),
    rect({ x: 0, y: 0, w: width, h: height }, { fill: c.paper }),
    ...(withTitle ? [text(PAD, PAD + 12, title, { 'font-size': 28, 'font-weight': 700, fill: c.ink }), text(PAD, PAD + 44, subtitle, { 'font-size': 16, fill: c.muted })] : []),
    `<g transform="translate(${dx} ${dy})">`,
    ...back,
    ...wires,
    ...drawing,
    ...path,
    `</g>`,
    ...(withHops ? list : []),
    `</svg>`,
  ].join('\n');
}
