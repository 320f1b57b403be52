// The frames a trace puts on the wire, byte for byte, as a capture on each device would
// hold them: what `tcpdump -i DEV` sees at every hop where a frame crosses a device (a
// pod's eth0, a veth's host end, a node's eth0). A bridge's own device is left out: what
// it shows depends on where netfilter rewrote the frame. What a real kernel picks at
// random or from the route — the TCP sequence numbers and window, the IP ID, TCP's options,
// the outer UDP source port of a tunnel (podpath's own hash, see OuterHeader) — podpath writes as fixed values
// (no TCP options, so its SYN is 40 bytes of IP where Linux's is 60).
import type { Hop, Trace } from '../trace/types.ts';
import { ROUTER } from '../dataplane/nodeNetworks.ts';
import { splitHostPort } from '../trace/address.ts';

/** What one frame holds, header by header (the inner packet's, under `outer` when tunnelled). */
export interface FrameHeaders {
  eth: { src: string; dst: string };
  /** A VXLAN packet: the outer IP and UDP, its VNI, and the inner frame's Ethernet header. */
  outer?: { src: string; dst: string; ttl: number; sport: number; dport: number; vni: number; innerEth: { src: string; dst: string }; zeroUdpChecksum: boolean };
  ip: { src: string; dst: string; ttl: number };
  l4: { proto: 'tcp'; sport: number; dport: number; flags: 'S' | 'S.'; seq: number; ack?: number; win: number } | { proto: 'udp'; sport: number; dport: number; length: number };
}

/** One captured frame: where, when (µs from the trace's start), its headers and bytes (Ethernet first). */
export interface CapturedFrame {
  netns: string;
  device: string;
  micros: number;
  direction: 'request' | 'reply';
  headers: FrameHeaders;
  bytes: Uint8Array;
}

/** A hop whose frame is not written, and why (said, rather than made up). */
export interface FrameLeftOut {
  netns: string;
  device: string;
  why: 'inner-ethernet-unknown';
}

const CAPTURED = new Set<Hop['action']>(['transmit', 'receive']);

const TCP_WINDOW = 64240;
const ISN = { request: 1000, reply: 5000 } as const;
/** The outer TTL: a VXLAN device's is unset, so the route's hop limit (net.ipv4.ip_default_ttl, 64); Cilium's key sets IPDEFTTL, 64 too. */
const OUTER_TTL = 64;

const macBytes = (mac: string) => mac.split(':').map((b) => Number.parseInt(b, 16));
const ipBytes = (ip: string) => ip.split('.').map(Number);

/** The one's-complement sum of 16-bit words, folded: the Internet checksum's core. */
function sum16(bytes: number[], start = 0): number {
  let s = start;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}
const checksum = (bytes: number[], start = 0) => ~sum16(bytes, start) & 0xffff;
const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const pseudo = (src: string, dst: string, proto: number, length: number) => sum16([...ipBytes(src), ...ipBytes(dst), 0, proto, ...u16(length)]);

/**
 * An IPv4 header (20 bytes) and its payload; Don't Fragment set as Linux sends TCP and
 * podpath's UDP probes, not on a VXLAN device's outer header (its `df` setting unset).
 */
function ipv4(src: string, dst: string, ttl: number, proto: number, payload: number[], df: boolean): number[] {
  const h = [0x45, 0, ...u16(20 + payload.length), 0, 0, df ? 0x40 : 0, 0, ttl, proto, 0, 0, ...ipBytes(src), ...ipBytes(dst)];
  const c = checksum(h);
  h[10] = c >>> 8;
  h[11] = c & 0xff;
  return [...h, ...payload];
}

function udpBytes(src: string, sport: number, dst: string, dport: number, data: number[], withChecksum: boolean): number[] {
  const d = [...u16(sport), ...u16(dport), ...u16(8 + data.length), 0, 0, ...data];
  if (withChecksum) {
    const c = checksum(d, pseudo(src, dst, 17, d.length)) || 0xffff;
    d[6] = c >>> 8;
    d[7] = c & 0xff;
  }
  return d;
}

const ethernet = (e: { src: string; dst: string }, payload: number[]) => [...macBytes(e.dst), ...macBytes(e.src), 0x08, 0x00, ...payload];

/** The frame's bytes, from its headers. */
export function encodeFrame(h: FrameHeaders): Uint8Array {
  const { ip, l4 } = h;
  let segment: number[];
  if (l4.proto === 'tcp') {
    const flags = l4.flags === 'S' ? 0x02 : 0x12;
    segment = [...u16(l4.sport), ...u16(l4.dport), ...u32(l4.seq), ...u32(l4.ack ?? 0), 0x50, flags, ...u16(l4.win), 0, 0, 0, 0];
    const c = checksum(segment, pseudo(ip.src, ip.dst, 6, segment.length));
    segment[16] = c >>> 8;
    segment[17] = c & 0xff;
  } else {
    segment = udpBytes(ip.src, l4.sport, ip.dst, l4.dport, new Array(l4.length).fill(0), true);
  }
  const inner = ipv4(ip.src, ip.dst, ip.ttl, l4.proto === 'tcp' ? 6 : 17, segment, true);
  const o = h.outer;
  if (!o) return Uint8Array.from(ethernet(h.eth, inner));
  const vxlan = [0x08, 0, 0, 0, ...u32(o.vni << 8)];
  // A VXLAN device checksums its outer UDP header (the default since Linux 4.8); Cilium's programs ask for none (BPF_F_ZERO_CSUM_TX).
  const udp = udpBytes(o.src, o.sport, o.dst, o.dport, [...vxlan, ...ethernet(o.innerEth, inner)], !o.zeroUdpChecksum);
  return Uint8Array.from(ethernet(h.eth, ipv4(o.src, o.dst, o.ttl, 17, udp, false)));
}

/**
 * Every frame of a trace, request then reply, at the hops where a frame crosses a
 * device: the TCP handshake's SYN and SYN-ACK, or a UDP datagram (`size`, a UDP trace's
 * --size, sets its total length; else it carries no data).
 */
export function traceFrames(t: Pick<Trace, 'hops' | 'reply' | 'size'>): { frames: CapturedFrame[]; leftOut: FrameLeftOut[] } {
  const frames: CapturedFrame[] = [];
  const leftOut: FrameLeftOut[] = [];
  const udpData = t.size !== undefined ? Math.max(0, t.size - 28) : 0;
  let micros = 0;
  for (const [direction, hops] of [['request', t.hops], ['reply', t.reply]] as const) {
    // The outer header's TTL: from the sending node, one less for each router it crosses (racks).
    let outerTtl = OUTER_TTL;
    for (const hop of hops) {
      micros++;
      const p = hop.packet;
      if (hop.action === 'encapsulate') outerTtl = OUTER_TTL;
      if (hop.netns === ROUTER && hop.action === 'route' && p.outer) outerTtl--;
      if (!CAPTURED.has(hop.action) || !p.eth) continue;
      const src = splitHostPort(p.src);
      const dst = splitHostPort(p.dst);
      const l4: FrameHeaders['l4'] =
        p.proto === 'tcp'
          ? { proto: 'tcp', sport: src.port, dport: dst.port, flags: direction === 'request' ? 'S' : 'S.', seq: ISN[direction], ...(direction === 'reply' ? { ack: ISN.request + 1 } : {}), win: TCP_WINDOW }
          : { proto: 'udp', sport: src.port, dport: dst.port, length: udpData };
      const headers: FrameHeaders = { eth: { ...p.eth }, ip: { src: src.ip, dst: dst.ip, ttl: p.ttl }, l4 };
      const o = p.outer;
      if (o) {
        if (!o.innerEth) {
          leftOut.push({ netns: hop.netns, device: hop.device, why: 'inner-ethernet-unknown' });
          continue;
        }
        headers.outer = { src: o.src, dst: o.dst, ttl: outerTtl, sport: o.sport, dport: o.dport, vni: o.vni, innerEth: { ...o.innerEth }, zeroUdpChecksum: o.zeroUdpChecksum === true };
      }
      frames.push({ netns: hop.netns, device: hop.device, micros, direction, headers, bytes: encodeFrame(headers) });
    }
  }
  return { frames, leftOut };
}

/** IANA's VXLAN port, which tcpdump decodes as VXLAN; on 8472 (Linux's and flannel's, Cilium's) it decodes OTV, whose header has the same layout. */
const IANA_VXLAN_PORT = 4789;
const OTV_PORT = 8472;

/**
 * The line(s) `tcpdump -n` prints for a frame, without the timestamp (tcpdump 4.99): an
 * encapsulated frame prints the outer packet, then the inner one on the next line.
 */
export function tcpdumpText(h: FrameHeaders): string {
  const { ip, l4 } = h;
  const inner =
    l4.proto === 'tcp'
      ? `IP ${ip.src}.${l4.sport} > ${ip.dst}.${l4.dport}: Flags [${l4.flags}], seq ${l4.seq}${l4.ack !== undefined ? `, ack ${l4.ack}` : ''}, win ${l4.win}, length 0`
      : `IP ${ip.src}.${l4.sport} > ${ip.dst}.${l4.dport}: UDP, length ${l4.length}`;
  const o = h.outer;
  if (!o) return inner;
  const head = `IP ${o.src}.${o.sport} > ${o.dst}.${o.dport}: `;
  if (o.dport === IANA_VXLAN_PORT) return `${head}VXLAN, flags [I] (0x08), vni ${o.vni}\n${inner}`;
  if (o.dport === OTV_PORT) return `${head}OTV, flags [I] (0x08), overlay 0, instance ${o.vni}\n${inner}`;
  // Any other port: tcpdump does not look inside (the VXLAN header, the inner frame: its UDP payload).
  return `${head}UDP, length ${8 + 14 + 20 + (l4.proto === 'tcp' ? 20 : 8 + l4.length)}`;
}
