// What the netns print after a packet and its reply: `ip neigh`, `bridge fdb`,
// `conntrack -L`, the Ethernet header per hop, and the chain of jumps to a rule.
import { describe, expect, it } from 'vitest';
import { compile, conntrackText, fdbListings, neighText, show, trace, type Scenario } from '../index.ts';
import { cluster, load, node, pod, service, traceOf } from '../testing/helpers.ts';

const http = [{ name: 'http', containerPort: 8080 }];
const flannel = load(cluster('flannel-vxlan') + node('n1') + node('n2') + pod('a', 'n1', {}) + pod('b', 'n2', { app: 'web' }, http) + service('web', { app: 'web' }, [{ port: 80, targetPort: 8080 }]));

/** A device's MAC as the engine compiled it. */
const macOf = (s: Scenario, netns: string, dev: string) => compile(s).netns(netns)!.devices.find((d) => d.name === dev)!.mac;
const vethOf = (s: Scenario, node: string, podKey: string) => compile(s).netns(node)!.devices.find((d) => d.peer?.netns === podKey)!.name;
const clusterIP = (s: Scenario) => s.services.find((v) => v.name === 'web')!.clusterIP!;

describe('after pod a → Service web (flannel-vxlan, the endpoint on the other node)', () => {
  const t = traceOf(flannel, 'pod/default/a', 'service/default/web:80');
  const dp = compile(flannel);
  const mac = (netns: string, dev: string) => macOf(flannel, netns, dev);

  it('ip neigh: each end of an ARP exchange learned the other; flanneld\'s VTEP entries are permanent', () => {
    expect(neighText(dp.netns('default/a')!, t.learned)).toBe(`10.244.0.1 dev eth0 lladdr ${mac('n1', 'cni0')} REACHABLE \n`);
    // n1 heard a's ARP request (STALE), then answered a through it (DELAY); it asked for n2's eth0 itself (REACHABLE).
    expect(neighText(dp.netns('n1')!, t.learned)).toBe(
      `10.244.1.0 dev flannel.1 lladdr ${mac('n2', 'flannel.1')} PERMANENT \n` +
        `10.244.0.2 dev cni0 lladdr ${mac('default/a', 'eth0')} DELAY \n` +
        `192.168.56.11 dev eth0 lladdr ${mac('n2', 'eth0')} REACHABLE \n`,
    );
    // b was asked by cni0 (10.244.1.1, the route's source for its subnet) and answered through that entry.
    expect(neighText(dp.netns('default/b')!, t.learned)).toBe(`10.244.1.1 dev eth0 lladdr ${mac('n2', 'cni0')} DELAY \n`);
  });

  it('bridge fdb: cni0 learned the pod behind its veth; flannel.1 holds the remote VTEP', () => {
    expect(fdbListings(dp.netns('n1')!, t.learned)).toEqual([
      { cmd: 'bridge fdb show dev flannel.1', text: `${mac('n2', 'flannel.1')} dst 192.168.56.11 self permanent\n` },
      { cmd: 'bridge fdb show br cni0 dynamic', text: `${mac('default/a', 'eth0')} dev ${vethOf(flannel, 'n1', 'default/a')} master cni0 \n` },
    ]);
    expect(fdbListings(dp.netns('default/a')!, t.learned)).toEqual([]);
  });

  it('conntrack -L: the DNAT on n1 (Service → pod), the plain forward on n2, each VXLAN packet its own UDP flow; none in a pod', () => {
    // The tunnel's outer packets: one flow each way, never answered (the way back hashes to another source port).
    const there = t.hops.find((h) => h.action === 'encapsulate')!.packet.outer!.sport;
    const back = t.reply.find((h) => h.action === 'encapsulate')!.packet.outer!.sport;
    const outer = (from: string, to: string, sport: number) => `udp      17 30 src=${from} dst=${to} sport=${sport} dport=8472 [UNREPLIED] src=${to} dst=${from} sport=8472 dport=${sport} mark=0 use=1\n`;
    expect(conntrackText(dp.netns('n1')!, t.learned)).toBe(
      `tcp      6 60 SYN_RECV src=10.244.0.2 dst=${clusterIP(flannel)} sport=43512 dport=80 src=10.244.1.2 dst=10.244.0.2 sport=8080 dport=43512 mark=0 use=1\n` +
        outer('192.168.56.10', '192.168.56.11', there) +
        outer('192.168.56.11', '192.168.56.10', back) +
        'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n',
    );
    expect(conntrackText(dp.netns('n2')!, t.learned)).toBe(
      outer('192.168.56.10', '192.168.56.11', there) +
        'tcp      6 60 SYN_RECV src=10.244.0.2 dst=10.244.1.2 sport=43512 dport=8080 src=10.244.1.2 dst=10.244.0.2 sport=8080 dport=43512 mark=0 use=1\n' +
        outer('192.168.56.11', '192.168.56.10', back) +
        'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n',
    );
    expect(there).not.toBe(back);
    expect(conntrackText(dp.netns('default/a')!, t.learned)).toBe('conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n');
  });

  it('the packet box: MACs on each wire, the VTEPs\' inside the tunnel, none inside an IP stack', () => {
    const at = (netns: string, action: string) => t.hops.find((h) => h.netns === netns && h.action === action)!;
    expect(at('default/a', 'transmit').packet.eth).toEqual({ src: mac('default/a', 'eth0'), dst: mac('n1', 'cni0') });
    expect(at('n1', 'transmit').packet.eth).toEqual({ src: mac('n1', 'eth0'), dst: mac('n2', 'eth0') });
    expect(at('n1', 'transmit').packet.outer?.innerEth).toEqual({ src: mac('n1', 'flannel.1'), dst: mac('n2', 'flannel.1') });
    expect(at('n2', 'decapsulate').packet.eth).toEqual({ src: mac('n1', 'flannel.1'), dst: mac('n2', 'flannel.1') });
    expect(at('default/b', 'receive').packet.eth).toEqual({ src: mac('n2', 'cni0'), dst: mac('default/b', 'eth0') });
    expect(t.hops.filter((h) => h.action === 'route' || h.action === 'send' || h.action === 'deliver').every((h) => h.packet.eth === undefined)).toBe(true);
  });

  it('the DNAT hop carries the chain of jumps that led to it', () => {
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.rulePath?.table).toBe('nat');
    const rules = dnat.rulePath!.rules;
    expect(rules.map((r) => r.split(' ')[1])).toEqual(['PREROUTING', 'KUBE-SERVICES', expect.stringMatching(/^KUBE-SVC-/), expect.stringMatching(/^KUBE-SEP-/)]);
    // Each rule jumps to the chain the next one is in; the last is the rule the hop matched.
    for (let i = 0; i + 1 < rules.length; i++) expect(rules[i]).toMatch(new RegExp(`-j ${rules[i + 1].split(' ')[1]}$`));
    expect(rules.at(-1)).toBe(dnat.matched);
    // Every rule of the path is a line of the netns's iptables-save.
    const nat = show(dp, 'n1');
    expect(nat.ok && rules.every((r) => nat.value.nat.split('\n').includes(r))).toBe(true);
  });
});

describe('conntrack where the packet is bridged, refused, or UDP', () => {
  const s = load(cluster('bridge-hostgw') + node('n1') + pod('a', 'n1', {}) + pod('b', 'n1', {}, http));
  const dp = compile(s);
  const req = { from: { kind: 'pod', namespace: 'default', name: 'a' }, to: { kind: 'pod', namespace: 'default', name: 'b', port: 8080 }, proto: 'tcp' } as const;

  it('a frame bridged between two pods is tracked on the node only with br_netfilter', () => {
    const on = trace(dp, req);
    const off = trace(dp, req, { bridge: { bridgeNfCallIptables: false } });
    expect(on.ok && conntrackText(dp.netns('n1')!, on.value.learned)).toBe(
      'tcp      6 60 SYN_RECV src=10.244.0.2 dst=10.244.0.3 sport=43512 dport=8080 src=10.244.0.3 dst=10.244.0.2 sport=8080 dport=43512 mark=0 use=1\n' +
        'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n',
    );
    expect(off.ok && off.value.learned.conntrack).toEqual([]);
    // Bridged: the pods found each other by ARP, and cni0 learned both.
    expect(on.ok && fdbListings(dp.netns('n1')!, on.value.learned)[0].text.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('bridge fdb before any packet: cni0 knows every pod on the node (each announced itself coming up)', () => {
    const lines = fdbListings(dp.netns('n1')!, { neighbours: [], fdb: [], conntrack: [] })[0].text.split('\n').filter(Boolean);
    expect(lines).toEqual(['a', 'b'].map((p) => `${macOf(s, `default/${p}`, 'eth0')} dev ${vethOf(s, 'n1', `default/${p}`)} master cni0 `));
  });

  it('a closed TCP port: the RST, its only answer, deletes the entry at once (no CLOSE entry is left)', () => {
    const t = trace(dp, { ...req, to: { ...req.to, port: 9999 } });
    expect(t.ok && t.value.verdict).toBe('refused');
    expect(t.ok && t.value.learned.conntrack.filter((c) => c.proto === 'tcp')).toEqual([]);
    expect(t.ok && conntrackText(dp.netns('n1')!, t.value.learned)).not.toMatch(/^tcp /m);
  });

  it('UDP has no state word; unanswered it is [UNREPLIED]', () => {
    const t = trace(dp, { ...req, proto: 'udp' });
    expect(t.ok && conntrackText(dp.netns('n1')!, t.value.learned).split('\n')[0]).toBe(
      'udp      17 30 src=10.244.0.2 dst=10.244.0.3 sport=43512 dport=8080 [UNREPLIED] src=10.244.0.3 dst=10.244.0.2 sport=8080 dport=43512 mark=0 use=1',
    );
  });
});
