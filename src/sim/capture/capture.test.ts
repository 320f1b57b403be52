// The frames podpath says cross each device, written as pcapng and read back by the real
// tcpdump: the file opens, every frame decodes (checksums correct), and tcpdump prints
// the lines podpath says it prints, with the MACs, TTLs and VNI of the trace's hops.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { load, scenarioFile, traceOf } from '../testing/helpers.ts';
import { readTcpdump } from '../testing/tcpdumpRead.ts';
import { tcpdumpText, traceFrames, type CapturedFrame } from './frames.ts';
import { pcapng } from './pcapng.ts';

const dir = mkdtempSync(join(tmpdir(), 'podpath-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tcpdump reading podpath's file; it must be installed (apt-get install tcpdump): this test does not pass without it. */
function tcpdump(frames: CapturedFrame[], args: string[]): string {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.pcapng`);
  writeFileSync(file, pcapng(frames));
  return execFileSync('tcpdump', ['-r', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const withoutTimestamps = (text: string) => text.replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /gm, '').trimEnd();

describe('capture: a trace as pcapng, read back by tcpdump', () => {
  const cases = [
    { name: 'flannel-vxlan, pod to a pod on the other node (VXLAN on 8472, which tcpdump decodes as OTV)', file: 'flannel-vxlan.yaml', from: 'pod/default/client', to: 'pod/default/web-45g782kmm6-c5mgg:80', proto: 'tcp' as const, vni: 1 },
    { name: 'calico-vxlan, pod to a pod on the other node (VXLAN on 4789)', file: 'calico-vxlan.yaml', from: 'pod/default/client', to: 'pod/default/web-2:8080', proto: 'tcp' as const, vni: 4096 },
    { name: 'cilium, pod to a pod on the other node (VNI: the source identity)', file: 'cilium-tunnel.yaml', from: 'pod/default/client', to: 'pod/default/web-2:8080', proto: 'tcp' as const },
    { name: 'bridge-hostgw, a Service (DNAT on the way, un-DNAT on the way back)', file: 'bridge-hostgw.yaml', from: 'pod/default/client', to: 'service/default/api:80', proto: 'tcp' as const },
    { name: 'flannel-vxlan, UDP', file: 'flannel-vxlan.yaml', from: 'pod/default/client', to: 'pod/default/web-45g782kmm6-c5mgg:80', proto: 'udp' as const, vni: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = traceOf(load(scenarioFile(c.file)), c.from, c.to, c.proto);
      const { frames, leftOut } = traceFrames(t);
      expect(leftOut).toEqual([]);
      // Every hop that transmits or receives a frame is in the capture, and only those.
      const crossing = [...t.hops, ...t.reply].filter((h) => (h.action === 'transmit' || h.action === 'receive') && h.packet.eth);
      expect(frames.map((f) => `${f.netns}/${f.device}`)).toEqual(crossing.map((h) => `${h.netns}/${h.device}`));
      expect(frames.length).toBeGreaterThan(3);
      // tcpdump prints what podpath says it prints.
      expect(withoutTimestamps(tcpdump(frames, ['-n']))).toBe(frames.map((f) => tcpdumpText(f.headers)).join('\n'));
      // Every checksum is right, and the headers are the hops'.
      const verbose = tcpdump(frames, ['-nn', '-e', '-vv']);
      expect(verbose).not.toMatch(/incorrect|bad cksum|bad udp cksum/);
      const read = readTcpdump(verbose);
      expect(read).toHaveLength(frames.length);
      read.forEach((r, i) => {
        const hop = crossing[i];
        const innermost = r.layers.at(-1)!;
        expect(`${innermost.src}:${innermost.sport}`).toBe(hop.packet.src);
        expect(`${innermost.dst}:${innermost.dport}`).toBe(hop.packet.dst);
        expect(innermost.ttl).toBe(hop.packet.ttl);
        expect(r.layers[0].ethSrc).toBe(hop.packet.eth!.src);
        expect(r.layers[0].ethDst).toBe(hop.packet.eth!.dst);
        if (hop.packet.outer) {
          expect(r.layers).toHaveLength(2);
          expect(r.vni).toBe(hop.packet.outer.vni);
          if (c.vni !== undefined) expect(r.vni).toBe(c.vni);
          expect(r.layers[0]).toMatchObject({ src: hop.packet.outer.src, dst: hop.packet.outer.dst, dport: hop.packet.outer.dport, df: false });
          expect(innermost.ethSrc).toBe(hop.packet.outer.innerEth!.src);
          // A VXLAN device checksums the outer UDP header; Cilium's programs ask for none.
          expect(r.layers[0].zeroUdpChecksum === true).toBe(c.file === 'cilium-tunnel.yaml');
        } else expect(r.layers).toHaveLength(1);
        if (c.proto === 'tcp') expect(r.tcpFlags).toBe(frames[i].direction === 'request' ? 'S' : 'S.');
      });
      if (frames.some((f) => f.headers.outer)) expect(read.some((r) => r.layers.length === 2)).toBe(true);
    });
  }

  it("a UDP trace's --size sets the datagram's length, as tcpdump counts it", () => {
    const t = traceOf(load(scenarioFile('flannel-vxlan.yaml')), 'pod/default/client', 'pod/default/web-45g782kmm6-cdgn9:80', 'udp');
    const { frames } = traceFrames({ ...t, size: 1000 });
    expect(withoutTimestamps(tcpdump(frames, ['-n'])).split('\n')[0]).toMatch(/: UDP, length 972$/);
  });
});
