// NetworkPolicy in the walk: the CNIs that enforce it drop exactly what the policies
// deny (felix's chains in the filter table; Cilium's programs), and the one that does
// not (flannel) delivers it and says where an enforcing CNI would have dropped it.
// The engine's matrix (policy/matrix.ts) is the reference every traced packet meets.
import { describe, expect, it } from 'vitest';
import { compile, objectKey, trace, type Scenario, type Trace } from '../index.ts';
import { load, scenarioFile } from '../testing/helpers.ts';
import { cellAllowed, policyMatrix } from './matrix.ts';
import { decide } from './evaluate.ts';

const FILE = scenarioFile('network-policy.yaml');
const withCni = (cni: string) => load(FILE.replace(/^  cni: calico\n  kubeProxy: iptables\n  calico:\n(    .*\n)+/m, `  cni: ${cni}\n  kubeProxy: iptables\n`));
const calicoWith = (mode: string) => load(FILE.replace('    ipipMode: Never\n    vxlanMode: Always', mode));

function podTrace(s: Scenario, from: string, to: string, port: number, proto: 'tcp' | 'udp'): Trace {
  const dp = compile(s);
  const [ns, name] = to.split('/');
  const [fns, fname] = from.split('/');
  const r = trace(dp, { from: { kind: 'pod', namespace: fns, name: fname }, to: { kind: 'pod', namespace: ns, name, port }, proto });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** Every pair of distinct pods on each port: what the walk did, as the matrix's `.`/`X`, and what it should be. */
function disagreements(s: Scenario, ipBlockOutsideClusterOnly = false): string[] {
  const out: string[] = [];
  for (const [port, proto] of [[80, 'tcp'], [81, 'tcp'], [80, 'udp']] as const) {
    const m = policyMatrix(s, { port, protocol: proto === 'tcp' ? 'TCP' : 'UDP' });
    m.pods.forEach((client, i) =>
      m.pods.forEach((server, j) => {
        if (i === j) return; // a pod's own address never leaves its netns
        const t = podTrace(s, objectKey(client), objectKey(server), port, proto);
        const walked = t.verdict === 'delivered' ? '.' : t.code === 'network-policy-denied' ? 'X' : `?${t.code}`;
        // Cilium: its ipBlock matches no pod (the Kubernetes matrix otherwise).
        const ok = ipBlockOutsideClusterOnly ? decide(s, { src: { pod: client, ip: client.podIP! }, dst: { pod: server, ip: server.podIP! }, protocol: proto === 'tcp' ? 'TCP' : 'UDP', port, ipBlockOutsideClusterOnly }).allowed : cellAllowed(m.cells[i][j]);
        const want = ok ? '.' : 'X';
        if (walked !== want) out.push(`${objectKey(client)} → ${objectKey(server)}:${port}/${proto}: walked ${walked}, policies say ${want}`);
      }),
    );
  }
  return out;
}

describe('enforced where the CNI enforces it', () => {
  it('the example has both outcomes on each port (so the agreement below means something)', () => {
    const s = load(FILE);
    for (const [port, protocol] of [[80, 'TCP'], [81, 'TCP'], [80, 'UDP']] as const) {
      const cells = policyMatrix(s, { port, protocol }).cells.flat();
      expect(cells.some((c) => cellAllowed(c)) && cells.some((c) => !cellAllowed(c))).toBe(true);
    }
  });

  it.each([
    ['calico, VXLAN', () => load(FILE)],
    ['calico, BGP (no encapsulation)', () => calicoWith('    ipipMode: Never\n    vxlanMode: Never')],
    ['cilium (modelled)', () => withCni('cilium')],
  ])('%s: every packet between pods is dropped exactly where the policies deny it', (name, make) => {
    expect(disagreements(make(), name.startsWith('cilium'))).toEqual([]);
  });

  it('felix drops at the destination pod’s cali-tw- chain, naming the policy, the pod and the rule', () => {
    const t = podTrace(load(FILE), 'z/b', 'x/b', 80, 'tcp');
    const drop = t.hops.at(-1)!;
    expect(t.code).toBe('network-policy-denied');
    expect(drop.action).toBe('drop');
    expect(drop.netns).toBe('node-2');
    expect(drop.matched).toMatch(/^-A cali-tw-cali[0-9a-f]{11} -m comment --comment "End of tier default. Drop if no policies passed packet" -m mark --mark 0x0\/0x20000 -j DROP$/);
    expect(drop.why).toContain('x/b is isolated for ingress by NetworkPolicy default-deny-ingress');
    expect(t.policy).toMatchObject({ enforcer: 'felix', allowed: false, denied: { direction: 'Ingress', pod: 'x/b', policies: ['x/default-deny-ingress'] } });
  });

  it('felix drops egress at the source pod’s cali-fw- chain, before the packet leaves its node', () => {
    const t = podTrace(load(FILE), 'y/c', 'z/b', 80, 'tcp');
    expect(t.code).toBe('network-policy-denied');
    expect(t.hops.at(-1)!.netns).toBe('node-1');
    expect(t.hops.at(-1)!.matched).toMatch(/^-A cali-fw-cali/);
    expect(t.policy?.denied).toEqual({ direction: 'Egress', pod: 'y/c', policies: ['y/c-egress-to-x-80'] });
  });

  it('policy meets the packet after the Service’s DNAT: the ClusterIP is allowed from y and denied from z', () => {
    const s = load(FILE);
    const viaService = (from: string) => {
      const [ns, name] = from.split('/');
      const r = trace(compile(s), { from: { kind: 'pod', namespace: ns, name }, to: { kind: 'service', namespace: 'x', name: 's-x-a', port: 80 }, proto: 'tcp' });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value;
    };
    expect(viaService('y/a').verdict).toBe('delivered');
    expect(viaService('z/b').code).toBe('network-policy-denied');
    // Through its own Service (hairpin): out of its cali veth and back in, where its own ingress policy applies.
    expect(viaService('x/a').code).toBe('network-policy-denied');
  });

  it('a node reaches its own pods whatever their policy says under felix (not policed host → endpoint), but not another node’s', () => {
    const s = load(FILE);
    const fromNode = (node: string) => {
      const r = trace(compile(s), { from: { kind: 'node', name: node }, to: { kind: 'pod', namespace: 'x', name: 'a', port: 80 }, proto: 'tcp' });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value;
    };
    const own = fromNode('node-1');
    expect(own.verdict).toBe('delivered');
    expect(own.policy?.exempt).toMatch(/felix does not police a node's own traffic to its pods/);
    expect(fromNode('node-2').code).toBe('network-policy-denied');
  });

  it('cilium drops with DROP_POLICY in the destination’s policy program, said as modelled', () => {
    const t = podTrace(withCni('cilium'), 'z/b', 'x/b', 80, 'tcp');
    expect(t.code).toBe('network-policy-denied');
    expect(t.hops.at(-1)!.why).toMatch(/DROP_POLICY, "Policy denied".*podpath's own programs, which carry these verdicts/);
    expect(t.hops.at(-1)!.ebpf?.decision).toBe('drop-policy');
  });
});

describe('not enforced where the CNI enforces nothing', () => {
  it('flannel delivers what the policies deny, and says at one hop which policy would have dropped it', () => {
    const s = withCni('flannel-vxlan');
    const t = podTrace(s, 'z/b', 'x/b', 80, 'tcp');
    expect(t.verdict).toBe('delivered');
    expect(t.policy).toMatchObject({ enforcer: 'none', allowed: false, wouldHaveDropped: true });
    const noted = t.hops.filter((h) => h.wouldHaveDropped);
    expect(noted).toHaveLength(1);
    expect(noted[0].wouldHaveDropped).toEqual({ direction: 'Ingress', policies: ['x/default-deny-ingress'] });
    expect(noted[0].why).toMatch(/flannel-vxlan does not enforce NetworkPolicy, so the packet goes on: a CNI that enforces it \(Calico, Cilium\) would have dropped it here/);
    // An allowed one carries no note.
    const ok = podTrace(s, 'y/a', 'x/a', 80, 'tcp');
    expect(ok.policy).toMatchObject({ allowed: true });
    expect(ok.hops.some((h) => h.wouldHaveDropped)).toBe(false);
  });
});

describe('a node to its own pods', () => {
  it('is exempt under every CNI, and said so (no "would have dropped" where nobody would)', () => {
    for (const cni of ['calico', 'cilium', 'flannel-vxlan']) {
      const s = cni === 'calico' ? load(FILE) : withCni(cni);
      const r = trace(compile(s), { from: { kind: 'node', name: 'node-1' }, to: { kind: 'pod', namespace: 'x', name: 'a', port: 80 }, proto: 'tcp' });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      expect(r.value.verdict, cni).toBe('delivered');
      expect(r.value.policy?.allowed, cni).toBe(false);
      expect(r.value.policy?.wouldHaveDropped, cni).toBeUndefined();
      expect(r.value.policy?.exempt, cni).toMatch(/node's own traffic|own traffic to its pod/);
      expect(r.value.hops.some((h) => h.wouldHaveDropped), cni).toBe(false);
    }
  });
});

describe('where the source is rewritten', () => {
  it("a NodePort's client is what felix's ingress check sees (before POSTROUTING's masquerade), and the trace's verdict says the same", () => {
    const text = FILE + `---
apiVersion: v1
kind: Service
metadata: {name: np-x-a, namespace: x}
spec:
  type: NodePort
  selector: {pod: a}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-outside, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{ipBlock: {cidr: 192.168.56.254/32}}]}]
`;
    const s = load(text);
    const r = trace(compile(s), { from: { kind: 'external' }, to: { kind: 'node', name: 'node-1', port: 30080 }, proto: 'tcp' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.verdict).toBe('delivered');
    expect(r.value.hops.some((h) => h.action === 'snat')).toBe(true);
    expect(r.value.policy).toMatchObject({ allowed: true });
    expect(r.value.policy?.ingress).toMatch(/NetworkPolicy x\/from-outside ingress rule 0 allows it/);
  });
});

describe("felix's chains beside kube-proxy's nftables table", () => {
  it('iptables-save -t filter lists felix\'s rules only, not the stand-ins for the nft base chains a walk enters', async () => {
    const { show } = await import('../index.ts');
    const s = load(FILE.replace('kubeProxy: iptables', 'kubeProxy: nftables'));
    const shown = show(compile(s), 'node-1');
    if (!shown.ok) throw new Error('show refused');
    const builtins = shown.value.filter.split('\n').filter((l) => /^-A (INPUT|FORWARD|OUTPUT) /.test(l));
    expect(builtins).toEqual(['-A INPUT -j cali-INPUT', '-A FORWARD -j cali-FORWARD', '-A FORWARD -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT', '-A OUTPUT -j cali-OUTPUT']);
    expect(shown.value.filter).not.toMatch(/hook /);
    // And the walk still meets felix's drop.
    expect(podTrace(s, 'z/b', 'x/b', 80, 'tcp').code).toBe('network-policy-denied');
  });
});

describe('review findings (2026-12-05)', () => {
  it("Cilium's ipBlock matches no pod: z/b's from-block-except policy does not let x/b in under Cilium, as it does under Calico", () => {
    expect(podTrace(load(FILE), 'x/b', 'z/b', 80, 'tcp').verdict).toBe('delivered');
    const t = podTrace(withCni('cilium'), 'x/b', 'z/b', 80, 'tcp');
    expect(t.code).toBe('network-policy-denied');
    expect(t.policy).toMatchObject({ enforcer: 'cilium-ebpf', allowed: false });
  });

  it("a pod's denied egress to outside the cluster gets its verdict and, under flannel, the would-have note", () => {
    const r = trace(compile(withCni('flannel-vxlan')), { from: { kind: 'pod', namespace: 'y', name: 'c' }, to: { kind: 'ip', ip: '1.1.1.1', port: 443 }, proto: 'tcp' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.policy).toMatchObject({ allowed: false, wouldHaveDropped: true, denied: { direction: 'Egress', pod: 'y/c' } });
    expect(r.value.hops.filter((h) => h.wouldHaveDropped)).toHaveLength(1);
  });
});
