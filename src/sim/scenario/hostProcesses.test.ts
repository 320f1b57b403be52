// A dump's node listens where its kubelet and its hostNetwork pods do: a trace there
// is delivered, saying what is assumed and why, and the ports survive a save.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, loadScenario, parseScenario, trace, writeScenario } from '../index.ts';
import { LIVE_CLUSTER } from '../testing/helpers.ts';

const kind = readFileSync(new URL('./dumps/kind-cluster-info-dump.txt', import.meta.url), 'utf8');

const APISERVER = `${LIVE_CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-n1, namespace: kube-system}
spec:
  nodeName: n1
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.0
    livenessProbe: {httpGet: {host: 192.168.1.10, path: /livez, port: 6443, scheme: HTTPS}}
---
apiVersion: v1
kind: Pod
metadata: {name: node-exporter-abcde, namespace: monitoring}
spec:
  nodeName: n1
  hostNetwork: true
  containers: [{name: e, image: x, ports: [{containerPort: 9100}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: n1, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.42.0.2}
`;

describe("a dump's host processes", () => {
  it("the kubelet's port comes from each Node's status.daemonEndpoints, a hostNetwork pod's from its ports and probes", () => {
    const kindNodes = (() => {
      const r = loadScenario(kind, 'kind.txt');
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      return r.value.nodes;
    })();
    for (const n of kindNodes) expect(n.hostProcesses).toContainEqual({ port: 10250, protocol: 'TCP', what: 'the kubelet' });
    const r = parseScenario(APISERVER, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.nodes[0].hostProcesses).toEqual([
      { port: 6443, protocol: 'TCP', what: 'hostNetwork pod kube-system/kube-apiserver-n1' },
      { port: 9100, protocol: 'TCP', what: 'hostNetwork pod monitoring/node-exporter-abcde' },
    ]);
  });

  it('a probe of 127.0.0.1 (kube-scheduler bound to the loopback) is a listener on the loopback only, not on the node\'s address', () => {
    const scheduler = `${APISERVER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: kube-scheduler-n1, namespace: kube-system}\nspec:\n  nodeName: n1\n  hostNetwork: true\n  containers:\n  - name: s\n    image: x\n    livenessProbe: {httpGet: {host: 127.0.0.1, path: /healthz, port: 10259, scheme: HTTPS}}\n`;
    const r = loadScenario(scheduler, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.nodes[0].hostProcesses!.find((p) => p.port === 10259)).toMatchObject({ loopbackOnly: true });
    const t = trace(compile(r.value), { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'node', name: 'n1', port: 10259 }, proto: 'tcp' });
    expect(t.ok && t.value.verdict).toBe('refused');
    // The refusal does not list it as open on the address the packet went to.
    expect(t.ok && t.value.reason).toContain('10259/TCP (on 127.0.0.1 only)');
    // `curl 127.0.0.1:10259` on the node itself reaches it.
    const local = trace(compile(r.value), { from: { kind: 'node', name: 'n1' }, to: { kind: 'ip', ip: '127.0.0.1', port: 10259 }, proto: 'tcp' });
    expect(local.ok && local.value.verdict).toBe('delivered');
  });

  it('a trace to such a port is delivered, and the hop says what is assumed and why; another port is still refused', () => {
    const r = loadScenario(APISERVER, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const dp = compile(r.value);
    const from = { kind: 'pod' as const, namespace: 'default', name: 'client' };
    const to = trace(dp, { from, to: { kind: 'node', name: 'n1', port: 6443 }, proto: 'tcp' });
    if (!to.ok) throw new Error(JSON.stringify(to.issues));
    expect(to.value.verdict).toBe('delivered');
    const deliver = to.value.hops.find((h) => h.action === 'deliver')!;
    expect(deliver.assumed).toEqual({ because: 'host-process', what: 'hostNetwork pod kube-system/kube-apiserver-n1' });
    expect(deliver.why).toContain("hostNetwork pod kube-system/kube-apiserver-n1 listens there by the dump's account");
    const closed = trace(dp, { from, to: { kind: 'node', name: 'n1', port: 6444 }, proto: 'tcp' });
    expect(closed.ok && closed.value.verdict).toBe('refused');
  });

  it('naming a hostNetwork pod in a trace says it is its node and which node/… to use; an unscheduled pod, that it has no address', () => {
    const pending = `${APISERVER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: waiting}\nspec: {containers: [{name: c, image: x}]}\nstatus: {phase: Pending}\n`;
    const r = loadScenario(pending, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const dp = compile(r.value);
    const client = { kind: 'pod' as const, namespace: 'default', name: 'client' };
    const apiserver = { kind: 'pod' as const, namespace: 'kube-system', name: 'kube-apiserver-n1' };
    const from = trace(dp, { from: apiserver, to: { kind: 'pod', namespace: 'default', name: 'client', port: 80 }, proto: 'tcp' });
    expect(!from.ok && from.issues.map((i) => [i.code, i.field])).toEqual([['no-such-object', '--from']]);
    expect(!from.ok && from.issues[0].reason).toContain('is a hostNetwork pod');
    expect(!from.ok && from.issues[0].reason).toContain('use --from node/n1');
    const to = trace(dp, { from: client, to: { ...apiserver, port: 6443 }, proto: 'tcp' });
    expect(!to.ok && to.issues[0].reason).toContain('use --to node/n1:6443');
    // …and the trace it points to is delivered.
    const instead = trace(dp, { from: client, to: { kind: 'node', name: 'n1', port: 6443 }, proto: 'tcp' });
    expect(instead.ok && instead.value.verdict).toBe('delivered');
    const unscheduled = trace(dp, { from: client, to: { kind: 'pod', namespace: 'default', name: 'waiting', port: 80 }, proto: 'tcp' });
    expect(!unscheduled.ok && unscheduled.issues[0].reason).toContain('is Pending and no node runs it yet');
    const nothing = trace(dp, { from: client, to: { kind: 'pod', namespace: 'default', name: 'nobody', port: 80 }, proto: 'tcp' });
    expect(!nothing.ok && nothing.issues[0].reason).toBe('no pod default/nobody');
  });

  it('they survive a save (written as an annotation, read back), and a broken annotation is refused with the reason', () => {
    const r = loadScenario(APISERVER, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const again = loadScenario(writeScenario(r.value), 'saved.yaml');
    if (!again.ok) throw new Error(JSON.stringify(again.issues));
    expect(again.value.nodes[0].hostProcesses).toEqual(r.value.nodes[0].hostProcesses);
    const broken = parseScenario(LIVE_CLUSTER.replace('metadata: {name: n1}', `metadata: {name: n1, annotations: {podpath.dev/host-processes: '[{"port": 0}]'}}`), 'x.yaml');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]).toMatchObject({ field: 'metadata.annotations[podpath.dev/host-processes]' });
  });
});
