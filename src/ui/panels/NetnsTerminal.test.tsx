// @vitest-environment jsdom
// The netns terminal as a person uses it: one tab per command, every line the
// engine's, the tab that prints what the current hop used brought forward, the
// matched rule highlighted with every jump that led to it, and the arrow keys
// moving between tabs.
import { describe, expect, it } from 'vitest';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import NetnsTerminal from './NetnsTerminal.tsx';
import { freshPlaygroundEachTest, st } from '../testing/playground.ts';
import { compile, conntrackText, neighText, trace, type TraceRequest } from '../../sim/index.ts';

const toService: TraceRequest = { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' };
const tab = (name: string) => screen.getByRole('tab', { name });
const panelText = () => screen.getByRole('tabpanel').textContent ?? '';
/** The lines the panel prints (without the `$ command` lines). */
const panelLines = () => [...screen.getByRole('tabpanel').querySelectorAll('[data-matched], [data-on-path], div')].filter((d) => d.parentElement?.parentElement === screen.getByRole('tabpanel') && !(d.textContent ?? '').startsWith('$ ')).map((d) => (d.textContent ?? '').replace(/\u00a0/g, ''));

function engine(req: TraceRequest) {
  const r = trace(compile(st().scenario), req);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('NetnsTerminal', () => {
  freshPlaygroundEachTest();

  it('shows one tab per command; before a packet, ip neigh holds only flanneld\'s permanent entries and conntrack nothing', async () => {
    const user = userEvent.setup();
    const client = st().scenario.pods.find((p) => p.name === 'client')!;
    act(() => {
      expect(st().setCluster({ cni: 'flannel-vxlan' })).toBe(true);
      st().select({ kind: 'node', key: client.nodeName! });
    });
    render(<NetnsTerminal />);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['ip addr · route', 'ip neigh', 'bridge fdb', 'iptables nat', 'rule counters', 'device counters', 'iptables filter', 'conntrack']);
    // Before a packet every nat rule counts 0, and the note says none was sent.
    await user.click(tab('rule counters'));
    expect(panelText()).toContain('$ iptables-save -c -t nat');
    expect(panelText()).toContain('no packet sent since the cluster last changed: press Send packet');
    expect(panelText()).not.toContain('-A PREROUTING');
    expect(panelText()).toContain('No connection counted yet: each Send packet since the cluster last changed is a connection');
    await user.click(tab('ip addr · route'));
    expect(tab('ip addr · route').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('region', { name: `netns ${client.nodeName}` }).textContent).toContain('no packet sent yet');
    await user.click(tab('conntrack'));
    expect(panelText()).toContain('$ conntrack -L');
    expect(panelText()).toContain('0 flow entries have been shown.');
    await user.click(tab('ip neigh'));
    const ns = compile(st().scenario).netns(client.nodeName!)!;
    const permanent = neighText(ns, { neighbours: [], fdb: [], conntrack: [] }).split('\n').filter(Boolean);
    expect(permanent.length).toBe(st().scenario.nodes.length - 1);
    expect(permanent.every((l) => / dev flannel\.1 lladdr [0-9a-f:]{17} PERMANENT $/.test(l))).toBe(true);
    expect(panelLines()).toEqual(permanent);
  });

  it('rule counters: the same packet sent again, the tab open at step 0, is a second connection', async () => {
    const user = userEvent.setup();
    act(() => st().send(toService));
    const t = engine(toService);
    const dnat = t.hops.find((h) => h.action === 'dnat')!;
    act(() => st().select({ kind: 'node', key: dnat.netns }));
    render(<NetnsTerminal />);
    await user.click(tab('rule counters'));
    const countOf = (rule: string) => Number(panelLines().find((l) => l.trim().endsWith(rule))?.trim().split(' ')[0] ?? 0);
    expect(countOf(dnat.matched!)).toBe(1);
    expect(panelText()).toContain('One connection counted');
    // Nothing else the terminal reads changes (the step is already 0, the request and trace the same).
    act(() => st().send());
    expect(countOf(dnat.matched!)).toBe(2);
    expect(panelText()).toContain('2 connections counted');
  });

  it('on the DNAT hop: brings the nat tab forward, highlights the DNAT rule and each jump that led to it', () => {
    act(() => st().send(toService));
    const t = engine(toService);
    const dnat = t.hops.findIndex((h) => h.action === 'dnat');
    const hop = t.hops[dnat];
    act(() => {
      st().select({ kind: 'node', key: hop.netns });
      st().setStep(dnat);
    });
    render(<NetnsTerminal />);
    expect(tab('iptables nat').getAttribute('aria-selected')).toBe('true');
    const panel = screen.getByRole('tabpanel');
    expect([...panel.querySelectorAll('[data-matched]')].map((e) => e.textContent)).toEqual([hop.matched]);
    // The jumps, in the order the table prints them (PREROUTING's first).
    const onPath = [...panel.querySelectorAll('[data-on-path]')].map((e) => e.textContent);
    expect(onPath.length).toBeGreaterThanOrEqual(3);
    expect(new Set(onPath)).toEqual(new Set(hop.rulePath!.rules.filter((r) => r !== hop.matched)));
    expect(onPath.some((r) => r?.startsWith('-A PREROUTING ') && r.endsWith('-j KUBE-SERVICES'))).toBe(true);
    // The chain in one line above the table, as the engine says it.
    expect(screen.getByLabelText('Chain of jumps').textContent).toBe(`nat jumps ${hop.rulePath!.summary}`);
    expect(hop.rulePath!.summary).toMatch(/^PREROUTING → KUBE-SERVICES → KUBE-SVC-\w+ → KUBE-SEP-\w+/);
  });

  it('after the packet: conntrack lists the engine\'s entry, and the arrow keys move between tabs', async () => {
    const user = userEvent.setup();
    act(() => st().send(toService));
    const t = engine(toService);
    const node = t.hops.find((h) => h.action === 'dnat')!.netns;
    act(() => st().select({ kind: 'node', key: node }));
    render(<NetnsTerminal />);
    await user.click(tab('iptables filter'));
    expect(panelText()).toContain('$ iptables-save -t filter');
    await user.keyboard('{ArrowRight}');
    expect(tab('conntrack').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab('conntrack'));
    const expected = conntrackText(compile(st().scenario).netns(node)!, t.learned);
    expect(panelLines()).toEqual(expected.split('\n').filter(Boolean));
    expect(panelLines()[0]).toMatch(/^tcp {6}6 \d+ SYN_RECV src=/);
    await user.keyboard('{Home}');
    expect(tab('ip addr · route').getAttribute('aria-selected')).toBe('true');
    expect(within(screen.getByRole('tabpanel')).getByText('$ ip route')).toBeTruthy();
  });

  it('in nftables mode: an nft tab, brought forward on the DNAT hop, lights the dnat rule in its own endpoint chain and the rules on the way once each', () => {
    act(() => {
      expect(st().setCluster({ kubeProxy: 'nftables' })).toBe(true);
      st().send(toService);
    });
    const t = engine(toService);
    const dnat = t.hops.findIndex((h) => h.action === 'dnat');
    const hop = t.hops[dnat];
    act(() => {
      st().select({ kind: 'node', key: hop.netns });
      st().setStep(dnat);
    });
    render(<NetnsTerminal />);
    expect(screen.getAllByRole('tab').map((x) => x.textContent)).toContain('nft');
    expect(tab('nft').getAttribute('aria-selected')).toBe('true');
    expect(panelText()).toContain('$ nft list table ip kube-proxy');
    const panel = screen.getByRole('tabpanel');
    const matched = [...panel.querySelectorAll('[data-matched]')];
    expect(matched.map((e) => e.textContent?.trim())).toEqual([hop.matched]);
    // The chain above the lit rule is the endpoint chain the walk went to.
    const lines = [...panel.querySelectorAll('div > div')].map((e) => e.textContent ?? '');
    const at = lines.findIndex((l) => l.includes('◀') || l.trim() === hop.matched);
    const chainAbove = lines.slice(0, at).reverse().find((l) => /^\s*chain /.test(l));
    expect(chainAbove?.trim()).toBe(`chain ${hop.rulePath!.chains!.at(-1)} {`);
    // nat-output's `jump services` reads as nat-prerouting's does, but only the one on the way is lit.
    const onPath = [...panel.querySelectorAll('[data-on-path]')].map((e) => e.textContent?.trim());
    expect(onPath.filter((l) => l === 'jump services')).toHaveLength(1);
    expect(onPath).toContain('ip daddr . meta l4proto . th dport vmap @service-ips');
  });

  it("Calico: ip route prints BIRD's proto bird routes and the blackhole; with IPIP the terminal says tunl0 is modelled, not kernel-checked", () => {
    const client = st().scenario.pods.find((p) => p.name === 'client')!;
    act(() => {
      expect(st().setCluster({ cni: 'calico', calico: { ipipMode: 'Never', vxlanMode: 'Never' } })).toBe(true);
      st().select({ kind: 'node', key: client.nodeName! });
    });
    const { unmount } = render(<NetnsTerminal />);
    expect(panelText()).toMatch(/blackhole 10\.244\.\d+\.\d+\/26 proto bird/);
    expect(panelText()).toMatch(/via 192\.168\.56\.\d+ dev eth0 proto bird/);
    expect(panelText()).not.toContain('not kernel-checked');
    unmount();
    act(() => void st().setCluster({ calico: { ipipMode: 'Always', vxlanMode: 'Never' } }));
    render(<NetnsTerminal />);
    expect(panelText()).toContain('dev tunl0 proto bird onlink');
    expect(panelText()).toContain("not kernel-checked: this machine's kernel has no IPIP");
  });

  it("Cilium: a node's hubble observe tab prints the flows its agent would report for the packet and its reply (the CLI's), and none for another CNI", async () => {
    const user = userEvent.setup();
    const client = st().scenario.pods.find((p) => p.name === 'client')!;
    act(() => {
      expect(st().setCluster({ cni: 'cilium' })).toBe(true);
      // A ClusterIP needs kubeProxyReplacement with Cilium (else refused): a pod on the other node.
      const other = st().scenario.pods.find((p) => p.nodeName !== client.nodeName && p.ports.length)!;
      st().send({ from: toService.from, to: { kind: 'pod', namespace: other.namespace, name: other.name, port: other.ports[0].containerPort }, proto: 'tcp' });
      st().select({ kind: 'node', key: client.nodeName! });
    });
    render(<NetnsTerminal />);
    await user.click(tab('hubble'));
    expect(panelText()).toContain(`$ hubble observe --node ${client.nodeName} -o jsonpb`);
    const records = panelLines().map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.node_name === client.nodeName && r.flow.verdict === 'FORWARDED')).toBe(true);
    expect(records[0].flow.is_reply).toBe(false);
    act(() => void st().setCluster({ cni: 'flannel-vxlan' }));
    expect(screen.queryByRole('tab', { name: 'hubble' })).toBeNull();
  });
});
