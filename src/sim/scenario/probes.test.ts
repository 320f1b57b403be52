// What a file says listens, and how sure podpath is: a probe's port is evidence of a
// process (coredns' health on 8080), a container down in CrashLoopBackOff is evidence
// against, control-plane flags name ports on the node's address, and a closed port is
// said to be an assumption. Each survives a save.
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, trace, writeScenario } from '../index.ts';
import type { Scenario } from '../model.ts';
import { LIVE_CLIENT, LIVE_CLUSTER } from '../testing/helpers.ts';

const DUMP = `${LIVE_CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: coredns-abc, namespace: kube-system}
spec:
  nodeName: n1
  containers:
  - name: coredns
    image: registry.k8s.io/coredns/coredns:v1.11.1
    ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: metrics, containerPort: 9153}]
    livenessProbe: {httpGet: {path: /health, port: 8080}}
    readinessProbe: {httpGet: {path: /ready, port: 8181}}
    startupProbe: {tcpSocket: {port: metrics}}
status: {phase: Running, podIP: 10.42.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: n1, containers: [{name: app, image: x, ports: [{containerPort: 80}]}]}
status:
  phase: Running
  podIP: 10.42.0.4
  conditions: [{type: Ready, status: 'False'}]
  containerStatuses: [{name: app, ready: false, state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s}}}]
${LIVE_CLIENT}---
apiVersion: v1
kind: Pod
metadata: {name: etcd-n1, namespace: kube-system}
spec:
  nodeName: n1
  hostNetwork: true
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.15-0
    command: [etcd, "--listen-client-urls=https://127.0.0.1:2379,https://192.168.1.10:2379", "--listen-peer-urls=https://192.168.1.10:2380", "--listen-metrics-urls=http://127.0.0.1:2381"]
---
apiVersion: v1
kind: Pod
metadata: {name: kube-proxy-xyz, namespace: kube-system}
spec:
  nodeName: n1
  hostNetwork: true
  containers: [{name: kube-proxy, image: x, command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf]}]
---
apiVersion: v1
kind: Pod
metadata: {name: kube-controller-manager-n1, namespace: kube-system}
spec:
  nodeName: n1
  hostNetwork: true
  containers: [{name: m, image: x, command: [kube-controller-manager, --bind-address=127.0.0.1, --secure-port=10257]}]
`;

const load = (text: string): Scenario => {
  const r = loadScenario(text, 'dump.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const client = { kind: 'pod' as const, namespace: 'default', name: 'client' };
const traced = (s: Scenario, to: Parameters<typeof trace>[1]['to']) => {
  const t = trace(compile(s), { from: client, to, proto: 'tcp' });
  if (!t.ok) throw new Error(JSON.stringify(t.issues));
  return t.value;
};

describe('what listens, by the evidence a file gives', () => {
  it("a probe's port no container declares is taken to be served, and the hop says the probe is why; a named probe port adds nothing", () => {
    const s = load(DUMP);
    const coredns = s.pods.find((p) => p.name === 'coredns-abc')!;
    expect(coredns.probePorts).toEqual([8080, 8181]);
    const t = traced(s, { kind: 'pod', namespace: 'kube-system', name: 'coredns-abc', port: 8080 });
    expect(t.verdict).toBe('delivered');
    const deliver = t.hops.find((h) => h.action === 'deliver')!;
    expect(deliver.assumed).toEqual({ because: 'probe' });
    expect(deliver.why).toContain('a probe of the pod connects to it');
  });

  it('a port nothing declares, targets or probes is refused, and the sentence says that is an assumption and what it rests on', () => {
    const t = traced(load(DUMP), { kind: 'pod', namespace: 'kube-system', name: 'coredns-abc', port: 8443 });
    expect([t.verdict, t.code]).toEqual(['refused', 'port-closed']);
    const refuse = t.hops.find((h) => h.action === 'refuse')!;
    expect(refuse.why).toContain('as far as the file shows');
    expect(refuse.why).toContain('it is taken to listen on 53/UDP, 9153/TCP, 8080/TCP, 8181/TCP only');
    expect(refuse.why).toContain('podpath takes such a port to be closed');
  });

  it('a port only a container the dump shows down (CrashLoopBackOff) would serve is closed, said from the dump, not as an assumption', () => {
    const s = load(DUMP);
    const web = s.pods.find((p) => p.name === 'web')!;
    expect(web.containersDown).toEqual([{ container: 'app', state: 'waiting', reason: 'CrashLoopBackOff', ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(web.noContainerRunning).toBe(true);
    const t = traced(s, { kind: 'pod', namespace: 'default', name: 'web', port: 80 });
    expect([t.verdict, t.code]).toEqual(['refused', 'port-closed']);
    expect(t.reason).toContain('the dump shows container app waiting (CrashLoopBackOff), the container that declares 80, and while it is down no process listens there');
    expect(t.reason).not.toContain('as far as the file shows');
    // A pod with every container running says it plainly.
    const plain = traced(s, { kind: 'pod', namespace: 'kube-system', name: 'coredns-abc', port: 9153 }).hops.find((h) => h.action === 'deliver')!;
    expect(plain.assumed).toBeUndefined();
    expect(plain.why).toContain('a socket listens on TCP port 9153');
  });

  it("control-plane flags name the node's ports: etcd's listen URLs, kube-proxy's health check by default, a --secure-port bound to 127.0.0.1 on the loopback only", () => {
    const processes = load(DUMP).nodes[0].hostProcesses!;
    const ports = processes.map((p) => `${p.port} ${p.what}${p.loopbackOnly ? ' loopback' : ''}${p.byDefault ? ' default' : ''}`);
    expect(ports).toContain('2379 hostNetwork pod kube-system/etcd-n1');
    expect(ports).toContain('2380 hostNetwork pod kube-system/etcd-n1');
    expect(ports).toContain('10256 hostNetwork pod kube-system/kube-proxy-xyz default');
    expect(ports).toContain('2381 hostNetwork pod kube-system/etcd-n1 loopback');
    expect(ports).toContain('10257 hostNetwork pod kube-system/kube-controller-manager-n1 loopback');
    const healthz = traced(load(DUMP), { kind: 'node', name: 'n1', port: 10256 }).hops.find((h) => h.action === 'deliver')!;
    expect(healthz.why).toContain('whose health check listens on 10256 by default');
    expect(traced(load(DUMP), { kind: 'node', name: 'n1', port: 2379 }).verdict).toBe('delivered');
    const closed = traced(load(DUMP), { kind: 'node', name: 'n1', port: 2381 });
    expect(closed.verdict).toBe('refused');
    expect(closed.reason).toContain("podpath knows a node's processes only from");
  });

  it('probe ports and down containers survive a save (the annotation, status.containerStatuses)', () => {
    const s = load(DUMP);
    const again = load(writeScenario(s));
    for (const name of ['coredns-abc', 'web']) {
      const [a, b] = [s, again].map((x) => x.pods.find((p) => p.name === name)!);
      expect(b.probePorts).toEqual(a.probePorts);
      expect(b.containersDown).toEqual(a.containersDown);
    }
    const bad = load(DUMP).pods.length && loadScenario(`${LIVE_CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {podpath.dev/probe-ports: "80,x"}}\nspec: {nodeName: n1, containers: [{name: c, image: x}]}\n`, 'f.yaml');
    expect(bad && !bad.ok && bad.issues[0].reason).toContain('must be TCP ports 1-65535');
  });
});

describe('a pod with one container down and another running', () => {
  const TWO = `${LIVE_CLUSTER}${LIVE_CLIENT}---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: n1
  containers:
  - {name: web, image: x, ports: [{containerPort: 80}]}
  - {name: sidecar, image: x, ports: [{containerPort: 9000}], readinessProbe: {tcpSocket: {port: 9001}}}
status:
  phase: Running
  podIP: 10.42.0.5
  containerStatuses:
  - {name: web, ready: true, state: {running: {startedAt: '2026-12-01T00:00:00Z'}}}
  - {name: sidecar, ready: false, state: {waiting: {reason: CrashLoopBackOff}}}
`;
  it("the running container's port is delivered plainly; the down one's ports, declared and probed, are closed and said so", () => {
    const s = load(TWO);
    expect(s.pods.find((p) => p.name === 'web')!.noContainerRunning).toBeUndefined();
    const web = traced(s, { kind: 'pod', namespace: 'default', name: 'web', port: 80 });
    expect(web.verdict).toBe('delivered');
    expect(web.hops.find((h) => h.action === 'deliver')!.why).not.toContain('CrashLoopBackOff');
    const sidecar = traced(s, { kind: 'pod', namespace: 'default', name: 'web', port: 9000 });
    expect(sidecar.verdict).toBe('refused');
    expect(sidecar.reason).toContain('container sidecar waiting (CrashLoopBackOff), the container that declares 9000');
    expect(traced(s, { kind: 'pod', namespace: 'default', name: 'web', port: 9001 }).reason).toContain('the container that probes 9001');
  });
  it('survives a save: the down container and its ports come back', () => {
    const s = load(TWO);
    const again = load(writeScenario(s));
    const [a, b] = [s, again].map((x) => x.pods.find((p) => p.name === 'web')!);
    expect(b.containersDown).toEqual(a.containersDown);
    expect(traced(again, { kind: 'pod', namespace: 'default', name: 'web', port: 9000 }).verdict).toBe('refused');
    expect(traced(again, { kind: 'pod', namespace: 'default', name: 'web', port: 80 }).verdict).toBe('delivered');
  });
});
