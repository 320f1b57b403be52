// @vitest-environment jsdom
// The slide picture: well-formed SVG holding the cluster's names and addresses and
// every hop of the walk as the engine traced it, text escaped.
import { describe, expect, it } from 'vitest';
import { createPlayground } from '../../store/store.ts';
import { dataplaneOf, selectHops, selectNodeNetworkName, selectTrace } from '../../store/derived.ts';
import { escapeXml, pictureFileName, pictureSvg, PALETTE_TOKENS, wrap, type Palette, type PictureInput } from './picture.ts';
import type { Hop } from '../../sim/trace/types.ts';
import { LIVE_CLUSTER } from '../../sim/testing/helpers.ts';

const palette = Object.fromEntries(Object.keys(PALETTE_TOKENS).map((k, i) => [k, `#${(0x101010 * (i % 15)).toString(16).padStart(6, '0')}`])) as unknown as Palette;

function inputOf(showReply: boolean): PictureInput {
  const pg = createPlayground();
  pg.getState().send({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 1);
  pg.getState().setShowReply(showReply);
  pg.getState().setStep(3);
  const st = pg.getState();
  const t = selectTrace(st);
  return { scenario: st.scenario, positions: st.positions, dataplane: dataplaneOf(st.scenario), request: st.request, trace: t?.kind === 'traced' ? t.trace : null, hops: selectHops(st), step: st.step, nodeNetwork: selectNodeNetworkName(st), palette };
}

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  expect(doc.documentElement.tagName).toBe('svg');
  return doc;
}
/** All the picture's words, one space between text elements (wrapped lines joined back). */
const words = (doc: Document) => [...doc.getElementsByTagName('text')].map((t) => t.textContent).join(' ').replace(/\s+/g, ' ');
const squeeze = (s: string) => s.replace(/\s+/g, ' ');

describe('the slide picture', () => {
  it('draws the packet along the wires, as the canvas trail does: no diagonal through other boxes', () => {
    const doc = parse(pictureSvg(inputOf(true)));
    const lines = [...doc.getElementsByTagName('polyline')];
    // The request (solid) and the reply (dashed), across two nodes.
    expect(lines.length).toBe(2);
    for (const line of lines) {
      const pts = line.getAttribute('points')!.trim().split(/\s+/).map((xy) => xy.split(',').map(Number));
      expect(pts.length).toBeGreaterThan(2);
      for (let k = 1; k < pts.length; k++) expect(pts[k][0] === pts[k - 1][0] || pts[k][1] === pts[k - 1][1]).toBe(true);
    }
  });

  it('is well-formed SVG with every pod, node and Service by name and address, and every hop in full', () => {
    const input = inputOf(true);
    const doc = parse(pictureSvg(input));
    const all = words(doc);
    for (const p of input.scenario.pods) expect(all).toContain(`pod ${p.name}`), expect(all).toContain(`eth0 ${p.podIP}`);
    for (const n of input.scenario.nodes) expect(all).toContain(`node ${n.name}`), expect(all).toContain(`IP ${n.internalIP}`);
    for (const v of input.scenario.services) expect(all).toContain(`service ${v.name}`), expect(all).toContain(v.clusterIP!);
    expect(input.trace!.reply.length).toBeGreaterThan(0);
    expect(input.hops.length).toBe(input.trace!.hops.length + input.trace!.reply.length);
    input.hops.forEach((h, i) => {
      expect(all).toContain(squeeze(`${i + 1}. ${h.netns === 'node-network' ? input.nodeNetwork : `${h.netns} · ${h.device}`} — ${h.action}`));
      expect(all).toContain(squeeze(h.why));
      expect(all).toContain(`${h.packet.src} → ${h.packet.dst} · TTL ${h.packet.ttl}`);
      if (h.matched) expect(all).toContain(squeeze(`matched: ${h.matched}`));
    });
    // The engine's verdict, and the hop on screen marked.
    expect(all).toContain(squeeze(`${input.trace!.verdict} at ${input.trace!.endpoint}: ${input.trace!.reason}`));
    expect(all).toContain(`4. ${input.hops[3].netns === 'node-network' ? input.nodeNetwork : `${input.hops[3].netns} · ${input.hops[3].device}`} — ${input.hops[3].action} ◀ the packet is here`);
    expect(all).toContain('The reply');
    // The packet's path, request and reply.
    expect(doc.getElementsByTagName('polyline')).toHaveLength(2);
    expect(doc.documentElement.getAttribute('width')).toMatch(/^\d+$/);
  });

  it('escapes text: names and sentences cannot break the XML', () => {
    const input = inputOf(false);
    const nasty: Hop = { ...input.hops[0], why: `a <script>alert("x")</script> & 'quotes'`, matched: '-A KUBE-SVC <x> & y' };
    const doc = parse(pictureSvg({ ...input, hops: [nasty, ...input.hops.slice(1)] }));
    expect(words(doc)).toContain(`a <script>alert("x")</script> & 'quotes'`);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('with no packet it is the cluster alone', () => {
    const pg = createPlayground();
    const st = pg.getState();
    const doc = parse(pictureSvg({ scenario: st.scenario, positions: {}, dataplane: dataplaneOf(st.scenario), request: null, trace: null, hops: [], step: 0, nodeNetwork: 'node network', palette }));
    expect(words(doc)).toContain('No packet traced');
    expect(doc.getElementsByTagName('polyline')).toHaveLength(0);
  });

  it('wraps at spaces and names files after the packet\'s ends', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(pictureFileName({ from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' }, 'png')).toBe('podpath-client-to-web.png');
    expect(pictureFileName({ from: { kind: 'external' }, to: { kind: 'ip', ip: '10.96.0.10', port: 53 }, proto: 'udp' }, 'svg')).toBe('podpath-external-to-10.96.0.10.svg');
    expect(pictureFileName(null, 'svg')).toBe('podpath-cluster.svg');
  });
});

describe('the slide picture of a dump', () => {
  it('says a pod\'s state (Pending, not Ready) in its box, as the canvas does', async () => {
    const pg = createPlayground();
    const dump = `${LIVE_CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: waiting}
spec: {nodeName: n1, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
status: {phase: Pending}
---
apiVersion: v1
kind: Pod
metadata: {name: ok}
spec: {nodeName: n1, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.42.0.5}
`;
    expect(await pg.getState().importText(dump, 'dump.yaml')).toBe(true);
    const st = pg.getState();
    const doc = parse(pictureSvg({ scenario: st.scenario, positions: st.positions, dataplane: dataplaneOf(st.scenario), request: null, trace: null, hops: [], step: 0, nodeNetwork: selectNodeNetworkName(st), palette }));
    const all = words(doc);
    expect(all).toContain('pod waiting eth0 — Pending · 80/TCP');
    expect(all).toContain('pod ok eth0 10.42.0.5 80/TCP');
  });
});
