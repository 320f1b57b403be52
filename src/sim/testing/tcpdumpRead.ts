// Reading what `tcpdump -nn -e -vv -r FILE` prints back into the fields podpath's frames
// claim: each layer's MACs, addresses, TTL, Don't Fragment, ports, the VNI, the TCP
// flags. The kernel differential reads the lab's own capture with it, and the capture
// test reads podpath's pcapng with it: both through the same tcpdump.

export interface ReadLayer {
  ethSrc: string;
  ethDst: string;
  ttl: number;
  df: boolean;
  proto: string;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** `tcpdump -vv` said the UDP checksum is zero (`[no cksum]`); read only with -vv. */
  zeroUdpChecksum?: boolean;
}

export interface ReadFrame {
  /** The frame's layers, outermost first (two for a VXLAN packet). */
  layers: ReadLayer[];
  /** The VXLAN network identifier, when tcpdump decoded the tunnel (VXLAN on 4789, OTV on 8472). */
  vni?: number;
  /** TCP flags as tcpdump prints them (`S`, `S.`, `.`, `P.`, `F.`, `R.`), when the innermost is TCP. */
  tcpFlags?: string;
}

const ETH = /([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > ([0-9a-f]{2}(?::[0-9a-f]{2}){5}), ethertype IPv4 \(0x0800\), length \d+: \(tos 0x[0-9a-f]+, ttl (\d+), id \d+, offset \d+, flags \[([^\]]*)\], proto (\w+) \(\d+\), length \d+\)/g;
const ADDR = /^\s*(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+): (.*)$/;

/** The frames of `tcpdump -nn -e -v -r` output, in order. */
export function readTcpdump(text: string): ReadFrame[] {
  const frames: ReadFrame[] = [];
  // A frame starts with its timestamp at the start of a line; the rest of it is indented or (the inner frame) starts with a MAC.
  const records = text.split(/\n(?=\d{2}:\d{2}:\d{2}\.\d+ )/);
  for (const record of records) {
    const lines = record.split('\n');
    const layers: ReadLayer[] = [];
    let vni: number | undefined;
    let tcpFlags: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      ETH.lastIndex = 0;
      const e = ETH.exec(lines[i]);
      if (!e) continue;
      const a = ADDR.exec(lines[i + 1] ?? '');
      if (!a) continue;
      const rest = a[5];
      layers.push({ ethSrc: e[1], ethDst: e[2], ttl: Number(e[3]), df: e[4].includes('DF'), proto: e[5], src: a[1], sport: Number(a[2]), dst: a[3], dport: Number(a[4]), ...(e[5] === 'UDP' && rest.includes('[no cksum]') ? { zeroUdpChecksum: true } : {}) });
      const v = /(?:vni|instance) (\d+)/.exec(rest);
      if (v) vni = Number(v[1]);
      const f = /Flags \[([^\]]*)\]/.exec(rest);
      if (f) tcpFlags = f[1];
    }
    if (layers.length) frames.push({ layers, ...(vni !== undefined ? { vni } : {}), ...(tcpFlags !== undefined ? { tcpFlags } : {}) });
  }
  return frames;
}
