// Traffic policy Local in both kube-proxy modes: the rules each writes per node, and
// the traces they give (the kernel differential runs external-traffic-local.yaml in
// both modes in real namespaces; these pin the engine's side).
import { describe, expect, it } from 'vitest';
import { compile, show } from '../index.ts';
import { KUBE_PROXY_MODES } from './modes.ts';
import { load, scenarioFile, traceOf } from '../testing/helpers.ts';

const file = scenarioFile('external-traffic-local.yaml');
const inMode = (mode: string) => load(file.replace('kubeProxy: iptables', `kubeProxy: ${mode}`));

describe.each(KUBE_PROXY_MODES)('traffic policy Local, kube-proxy %s', (mode) => {
  const s = inMode(mode);
  const clientIP = '192.168.56.254';

  it('externalTrafficPolicy Local: the node with the endpoint delivers with the client\'s own address; the others drop', () => {
    const here = traceOf(s, 'external', 'node/node-1:30080');
    expect(here.verdict).toBe('delivered');
    expect(here.endpoint).toBe('default/ingress');
    const deliver = here.hops.find((h) => h.action === 'deliver')!;
    expect(deliver.packet.src.split(':')[0]).toBe(clientIP);
    expect(here.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(here.hops.find((h) => h.action === 'dnat')!.why).toContain("the pod will see the client's own address 192.168.56.254");
    for (const node of ['node-2', 'node-3']) {
      const there = traceOf(s, 'external', `node/${node}:30080`);
      expect(there.verdict).toBe('dropped');
      expect(there.code).toBe('no-local-endpoints');
      expect(there.reason).toContain(`externalTrafficPolicy Local and no ready endpoint on ${node}`);
      expect(there.reason).toContain('its ready endpoints are on node-1');
    }
  });

  it('externalTrafficPolicy Local: the node itself is short-circuited to any endpoint, masqueraded', () => {
    const t = traceOf(s, 'node/node-2', 'node/node-2:30080');
    expect(t.verdict).toBe('delivered');
    expect(t.endpoint).toBe('default/ingress');
    expect(t.hops.some((h) => h.action === 'snat')).toBe(true);
  });

  it('internalTrafficPolicy Local: only endpoints on the sender\'s node, and a drop where it has none', () => {
    const beside = traceOf(s, 'pod/default/web', 'service/default/cache:6379');
    expect(beside.verdict).toBe('delivered');
    expect(beside.candidates).toEqual(['default/cache-b']);
    expect(beside.endpoint).toBe('default/cache-b');
    const alone = traceOf(s, 'pod/default/client', 'service/default/cache:6379');
    expect(alone.verdict).toBe('dropped');
    expect(alone.code).toBe('no-local-endpoints');
    expect(alone.reason).toContain('internalTrafficPolicy Local and no ready endpoint on node-3');
  });

  it('writes different rules on each node, as kube-proxy does', () => {
    const dp = compile(s);
    const text = (node: string) => {
      const r = show(dp, node);
      if (!r.ok) throw new Error('show failed');
      return [r.value.nat, r.value.filter, r.value.nft ?? ''].join('\n');
    };
    const [one, two] = [text('node-1'), text('node-2')];
    expect(one).not.toBe(two);
    if (mode === 'iptables') {
      expect(two).toContain('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/ingress:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP');
      expect(one).not.toContain('has no local endpoints" -m addrtype');
      expect(one).toMatch(/-A KUBE-EXT-\w+ -j KUBE-SVL-\w+/);
      expect(two).toContain('-m comment --comment "masquerade LOCAL traffic for default/ingress:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ');
      expect(text('node-3')).toContain('-A KUBE-SERVICES -d 10.96.0.12/32 -p tcp -m comment --comment "default/cache has no local endpoints" -m tcp --dport 6379 -j DROP');
    } else {
      expect(two).toContain('tcp . 30080 comment "default/ingress:http" : drop');
      expect(one).toMatch(/goto local-\w{8}-default\/ingress\/tcp\/http/);
      expect(two).toContain('fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
      expect(text('node-3')).toContain('10.96.0.12 . tcp . 6379 comment "default/cache" : drop');
    }
  });
});

describe('without a Local traffic policy', () => {
  it('every node shares one set of kube-proxy rules', () => {
    const dp = compile(load(scenarioFile('flannel-vxlan.yaml')));
    expect(dp.kubeProxyRules('node-1')).toBe(dp.kubeProxyRules('node-2'));
  });
});
