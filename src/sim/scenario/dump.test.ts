// A dump of a running cluster (`kubectl get deploy,rs,ds,po,svc,endpointslices -A -o yaml`)
// imported exactly as it is: its pods are its workloads' pods, their status counts,
// the file's endpoints are used or held against podpath's own.
import { describe, expect, it } from 'vitest';
import { compile, endpointsOf, loadScenario, parseScenario, trace, writeScenario, type Scenario } from '../index.ts';
import { restoreSave, saveText } from './restore.ts';
import { labPlan } from '../lab/plan.ts';
import { LIVE_CLUSTER } from '../testing/helpers.ts';

const CLUSTER = `${LIVE_CLUSTER}---
apiVersion: v1
kind: Node
metadata: {name: n2}
spec: {podCIDR: 10.42.1.0/24}
status: {addresses: [{type: InternalIP, address: 192.168.1.11}]}
`;

/** A pod as `kubectl get pod -o yaml` prints it. */
function livePod(name: string, o: { ns?: string; node?: string; ip?: string; labels?: string; owner?: string; phase?: string; ready?: boolean; ports?: string } = {}): string {
  const owner = o.owner ? `\n  ownerReferences: [{apiVersion: apps/v1, kind: ${o.owner.split('/')[0]}, name: ${o.owner.split('/')[1]}, uid: uid-${o.owner.split('/')[1]}, controller: true}]` : '';
  const node = o.node === undefined ? 'n1' : o.node;
  return `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${o.ns ?? 'default'}
  labels: ${o.labels ?? '{app: web}'}${owner}
spec:
${node ? `  nodeName: ${node}\n` : ''}  containers: [{name: c, image: x, ports: ${o.ports ?? '[{containerPort: 80}]'}}]
status:
  phase: ${o.phase ?? 'Running'}
  conditions: [{type: Ready, status: "${o.ready === false ? 'False' : 'True'}"}]
${o.ip ? `  podIP: ${o.ip}\n` : ''}`;
}

const DEPLOYMENT = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, uid: uid-web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d4b9c
  namespace: default
  uid: uid-web-7d4b9c
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: uid-web, controller: true}]
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
`;

const SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, clusterIP: 10.43.0.50, ports: [{port: 80, targetPort: 80}]}
`;

function loaded(text: string): Scenario {
  const r = loadScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function warningsOf(text: string) {
  const r = parseScenario(text);
  return r.warnings;
}

describe('ownerReferences: a dump\'s pods are its workloads\' pods', () => {
  it('Deployment → ReplicaSet → Pod: the two pods are the Deployment\'s, no phantom is made', () => {
    const s = loaded(CLUSTER + DEPLOYMENT + livePod('web-7d4b9c-aaaaa', { ip: '10.42.0.5', owner: 'ReplicaSet/web-7d4b9c' }) + livePod('web-7d4b9c-bbbbb', { node: 'n2', ip: '10.42.1.7', owner: 'ReplicaSet/web-7d4b9c' }));
    expect(s.pods.map((p) => [p.name, p.podIP, p.ownerKind, p.ownerName])).toEqual([
      ['web-7d4b9c-aaaaa', '10.42.0.5', 'Deployment', 'web'],
      ['web-7d4b9c-bbbbb', '10.42.1.7', 'Deployment', 'web'],
    ]);
  });

  it('a dump without the ReplicaSets (kubectl get deploy,pods): the pods are still the Deployment\'s, by the name its ReplicaSet has', () => {
    const deploymentOnly = DEPLOYMENT.slice(0, DEPLOYMENT.indexOf('---\napiVersion: apps/v1\nkind: ReplicaSet'));
    const pods = ['aaaaa', 'bbbbb'].map((x, i) => livePod(`web-7d4b9c-${x}`, { ip: `10.42.0.${5 + i}`, labels: '{app: web, pod-template-hash: 7d4b9c}', owner: 'ReplicaSet/web-7d4b9c' })).join('');
    const s = loaded(CLUSTER + deploymentOnly + pods);
    expect(s.pods.map((p) => [p.name, p.ownerKind, p.ownerName])).toEqual([
      ['web-7d4b9c-aaaaa', 'Deployment', 'web'],
      ['web-7d4b9c-bbbbb', 'Deployment', 'web'],
    ]);
    // Without the hash label nothing says whose ReplicaSet it was: the pods are no one's, the Deployment is expanded.
    const unlabelled = loaded(CLUSTER + deploymentOnly + livePod('web-7d4b9c-aaaaa', { ip: '10.42.0.5', owner: 'ReplicaSet/web-7d4b9c' }));
    expect(unlabelled.pods.filter((p) => p.ownerName === 'web')).toHaveLength(2);
  });

  it('a DaemonSet with its pods keeps them: no hostPort "conflict" with a phantom of its own', () => {
    const ds = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: svclb, namespace: kube-system, uid: uid-svclb}
spec:
  selector: {matchLabels: {app: svclb}}
  template:
    metadata: {labels: {app: svclb}}
    spec: {containers: [{name: lb, image: x, ports: [{containerPort: 80, hostPort: 80}]}]}
`;
    const pods = ['n1', 'n2'].map((n, i) => livePod(`svclb-${n}`, { ns: 'kube-system', node: n, ip: `10.42.${i}.9`, labels: '{app: svclb}', owner: 'DaemonSet/svclb', ports: '[{containerPort: 80, hostPort: 80}]' })).join('');
    const s = loaded(CLUSTER + ds + pods);
    expect(s.pods.map((p) => `${p.name}@${p.nodeName}`)).toEqual(['svclb-n1@n1', 'svclb-n2@n2']);
    expect(s.pods.every((p) => p.ownerKind === 'DaemonSet' && p.ownerName === 'svclb')).toBe(true);
  });

  it('a workload without its pods in the file (a manifest) is still expanded', () => {
    const s = loaded(CLUSTER + DEPLOYMENT);
    expect(s.pods).toHaveLength(2);
    expect(s.pods.every((p) => p.ownerKind === 'Deployment' && p.ownerName === 'web' && p.podIP)).toBe(true);
  });

  it('a reference whose uid differs still names the one workload of that name in the file: no phantom beside its pod', () => {
    const sts = `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default, uid: uid-now}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 5432}]}]}
`;
    const pod = livePod('db-0', { ip: '10.42.0.5', labels: '{app: db}' }).replace('labels: {app: db}', 'labels: {app: db}\n  ownerReferences: [{kind: StatefulSet, name: db, uid: uid-before, controller: true}]');
    const s = loaded(CLUSTER + sts + pod);
    expect(s.pods.map((p) => [p.name, p.ownerKind, p.ownerName])).toEqual([['db-0', 'StatefulSet', 'db']]);
  });

  it('a standalone ReplicaSet manifest is a workload: expanded into its replicas, no longer dropped', () => {
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: cache}
spec:
  replicas: 3
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 6379}]}]}
`;
    const r = loadScenario(rs);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.pods.map((p) => p.name)).toEqual([expect.stringMatching(/^cache-[bcdfghjklmnpqrstvwxz2456789]{5}$/), expect.any(String), expect.any(String)]);
    expect(new Set(r.value.pods.map((p) => p.name)).size).toBe(3);
    expect(r.value.pods.every((p) => p.ownerKind === 'ReplicaSet' && p.labels.app === 'cache')).toBe(true);
    expect(r.warnings.join('\n')).not.toContain('ReplicaSet');
  });
});

describe('status: phase and readiness', () => {
  const pods =
    livePod('web-ok', { ip: '10.42.0.5' }) +
    livePod('web-notready', { ip: '10.42.0.6', ready: false }) +
    livePod('web-pending', { phase: 'Pending', ready: false }) +
    livePod('web-failed', { phase: 'Failed', ready: false, ip: '10.42.0.5' }) +
    livePod('web-unscheduled', { node: '', phase: 'Pending', ready: false });

  it('only the Running, Ready pod is a ready endpoint; a Pending pod gets no address; a Failed one released its address', () => {
    const s = loaded(CLUSTER + SERVICE + pods);
    const byName = Object.fromEntries(s.pods.map((p) => [p.name, p]));
    expect(byName['web-pending'].podIP).toBeUndefined();
    expect(byName['web-pending'].phase).toBe('Pending');
    // Failed: the address its status still shows is another pod's now (no duplicate-address error).
    expect(byName['web-failed'].podIP).toBeUndefined();
    expect(byName['web-notready'].notReady).toBe(true);
    const svc = s.services.find((v) => v.name === 'web')!;
    expect(endpointsOf(s, svc, svc.ports[0]).map((e) => e.pod?.name)).toEqual(['web-ok']);
  });

  it('a pod with status but no spec.nodeName is Pending and unscheduled: left out, and said', () => {
    const r = loadScenario(CLUSTER + SERVICE + pods);
    if (!r.ok) throw new Error('refused');
    expect(r.value.pods.map((p) => p.name)).not.toContain('web-unscheduled');
    expect(r.warnings.join('\n')).toContain('left out Pending pods that no node runs yet');
    expect(r.warnings.join('\n')).toContain('default/web-unscheduled');
    expect(r.warnings.join('\n')).toMatch(/not ready endpoints.*default\/web-notready \(not Ready\)/);
  });

  it('a Service of only not-ready pods has no ready endpoint: kube-proxy REJECTs it', () => {
    const s = loaded(CLUSTER + SERVICE + livePod('client', { ip: '10.42.0.2', labels: '{app: client}' }) + livePod('web-notready', { ip: '10.42.0.6', ready: false }));
    const t = trace(compile(s), { from: { kind: 'pod', namespace: 'default', name: 'client' }, to: { kind: 'service', namespace: 'default', name: 'web', port: 80 }, proto: 'tcp' });
    if (!t.ok) throw new Error('no trace');
    expect([t.value.verdict, t.value.code]).toEqual(['refused', 'reject-no-endpoints']);
  });

  it('publishNotReadyAddresses: a not-ready pod is an endpoint all the same', () => {
    const svc = SERVICE.replace('selector: {app: web},', 'selector: {app: web}, publishNotReadyAddresses: true,');
    const s = loaded(CLUSTER + svc + livePod('web-notready', { ip: '10.42.0.6', ready: false }));
    const v = s.services[0];
    expect(endpointsOf(s, v, v.ports[0]).map((e) => e.ip)).toEqual(['10.42.0.6']);
  });

  it('phase and readiness round-trip through the writer and a save', () => {
    const s = loaded(CLUSTER + SERVICE + pods);
    const again = loaded(writeScenario(s));
    const facts = (x: Scenario) => x.pods.map((p) => [p.name, p.phase, p.notReady, p.podIP]);
    expect(facts(again)).toEqual(facts(s));
    const restored = restoreSave(saveText({ scenario: s, positions: {}, request: null, showReply: false, speed: 1 }));
    if (!restored.ok) throw new Error('not restored');
    expect(facts(restored.value.scenario)).toEqual(facts(s));
  });

  it('an Unknown phase is refused with the reason', () => {
    const r = parseScenario(CLUSTER + livePod('lost', { ip: '10.42.0.5', phase: 'Unknown' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ document: 'Pod/default/lost', field: 'status.phase', reason: expect.stringContaining('Unknown') });
  });
});

const KUBERNETES = `---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec: {clusterIP: 10.43.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kubernetes, namespace: default, labels: {kubernetes.io/service-name: kubernetes}}
addressType: IPv4
endpoints: [{addresses: [192.168.1.10], conditions: {ready: true}}]
ports: [{name: https, port: 6443, protocol: TCP}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: kubernetes, namespace: default}
subsets: [{addresses: [{ip: 192.168.1.10}], ports: [{name: https, port: 6443}]}]
`;

describe('EndpointSlices and Endpoints in a dump', () => {
  it('a Service without a selector gets the endpoints its EndpointSlice lists', () => {
    const s = loaded(CLUSTER + KUBERNETES);
    const v = s.services.find((x) => x.name === 'kubernetes')!;
    expect(v.givenEndpoints).toEqual([{ ip: '192.168.1.10', port: 6443, protocol: 'TCP', portName: 'https', ready: true }]);
    expect(endpointsOf(s, v, v.ports[0]).map((e) => `${e.ip}:${e.port}`)).toEqual(['192.168.1.10:6443']);
  });

  it('v1 Endpoints alone serve too (notReadyAddresses are not ready)', () => {
    const eps = `---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec: {clusterIP: 10.43.0.60, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: default}
subsets: [{addresses: [{ip: 10.0.0.5}], notReadyAddresses: [{ip: 10.0.0.6}], ports: [{port: 5432}]}]
`;
    const s = loaded(CLUSTER + eps);
    const v = s.services[0];
    expect(v.givenEndpoints?.map((e) => [e.ip, e.ready])).toEqual([['10.0.0.5', true], ['10.0.0.6', false]]);
    expect(endpointsOf(s, v, v.ports[0]).map((e) => e.ip)).toEqual(['10.0.0.5']);
    // And they round-trip (written as EndpointSlices).
    expect(loaded(writeScenario(s)).services[0].givenEndpoints).toEqual(v.givenEndpoints);
  });

  it('for a Service with a selector, a slice that differs from podpath\'s computation is a warning naming both', () => {
    const slice = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abcde, namespace: default, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.42.0.5], conditions: {ready: true}}, {addresses: [10.42.0.99], conditions: {ready: true}}]
ports: [{name: "", port: 80, protocol: TCP}]
`;
    const w = warningsOf(CLUSTER + SERVICE + livePod('web-a', { ip: '10.42.0.5' }) + slice).find((x) => x.code === 'endpoints-differ');
    expect(w?.message).toBe("Service default/web: the file's EndpointSlices list 10.42.0.5:80, 10.42.0.99:80, but podpath computes 10.42.0.5:80 from its selector and the pods in the file; traces follow podpath's computation");
    const same = slice.replace(', {addresses: [10.42.0.99], conditions: {ready: true}}', '');
    expect(warningsOf(CLUSTER + SERVICE + livePod('web-a', { ip: '10.42.0.5' }) + same).map((x) => x.code)).not.toContain('endpoints-differ');
  });
});

describe('what podpath does not model is said, never changed', () => {
  it('a dual-stack Service keeps its IPv4 family, with a warning; an IPv6-only one is skipped, with a warning', () => {
    const dual = `apiVersion: v1
kind: Service
metadata: {name: dual}
spec: {selector: {app: web}, ipFamilyPolicy: PreferDualStack, ipFamilies: [IPv4, IPv6], clusterIP: 10.43.0.70, clusterIPs: [10.43.0.70, "fd00:10:96::7"], ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: six}
spec: {selector: {app: web}, ipFamilies: [IPv6], clusterIP: "fd00:10:96::8", ports: [{port: 80}]}
`;
    const r = parseScenario(CLUSTER + '---\n' + dual);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.services.map((v) => [v.name, v.clusterIP])).toEqual([['dual', '10.43.0.70']]);
    const said = r.warnings.filter((w) => w.code === 'ipv6-not-modelled').map((w) => w.message);
    expect(said).toEqual([
      'Service/default/dual: a dual-stack Service: podpath models its IPv4 family only; its IPv6 ClusterIP fd00:10:96::7 is left out',
      'Service/default/six: an IPv6 Service (clusterIP fd00:10:96::8) is skipped: podpath models IPv4 only',
    ]);
  });

  it('YAML merge keys (<<: *x) are applied, as kubectl applies them; a merge of no map is refused with the reason', () => {
    const s = loaded(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: a
      labels: &common {app: web, tier: front}
    spec: {containers: [{name: c, image: x}]}
  - apiVersion: v1
    kind: Pod
    metadata:
      name: b
      labels:
        <<: *common
        tier: back
    spec: {containers: [{name: c, image: x}]}
`);
    expect(s.pods.map((p) => p.labels)).toEqual([{ app: 'web', tier: 'front' }, { app: 'web', tier: 'back' }]);
    const bad = parseScenario(`apiVersion: v1
kind: Pod
metadata:
  name: a
  labels: {<<: 5}
spec: {containers: [{name: c, image: x}]}
`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0].reason).toBe('YAML does not read: Merge sources must be maps or map aliases');
  });

  it('a nested label value is refused with the reason, not turned into "[object Object]"', () => {
    const r = parseScenario(`apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: {name: web}}}
spec: {containers: [{name: c, image: x}]}
`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => [i.field, i.reason])).toEqual([['metadata.labels.app', 'must be a string, got a map (a label\'s value is one string)']]);
  });

  it('a 64-character name is refused with Kubernetes\' reason', () => {
    const name = 'a'.repeat(64);
    const r = parseScenario(`apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: web}, ports: [{port: 80}]}
`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ field: 'metadata.name', reason: expect.stringContaining('at most 63') });
    const ns = parseScenario(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ${name}}
spec: {containers: [{name: c, image: x}]}
`);
    expect(ns.ok).toBe(false);
    if (!ns.ok) expect(ns.issues[0]).toMatchObject({ field: 'metadata.namespace', reason: expect.stringContaining('RFC 1123 label') });
  });
});

describe('tracing a dump', () => {
  const client = livePod('client', { ns: 'default', node: 'n2', ip: '10.42.1.2', labels: '{app: client}' });
  const traced = (s: Scenario, to: Parameters<typeof trace>[1]['to'], from: Parameters<typeof trace>[1]['from'] = { kind: 'pod', namespace: 'default', name: 'client' }) => trace(compile(s), { from, to, proto: 'tcp' });

  it('default/kubernetes with its EndpointSlice: DNATed to the API server\'s address, by name and by ClusterIP alike', () => {
    const s = loaded(CLUSTER + KUBERNETES + client);
    const byName = traced(s, { kind: 'service', namespace: 'default', name: 'kubernetes', port: 443 });
    const byIP = traced(s, { kind: 'ip', ip: '10.43.0.1', port: 443 });
    if (!byName.ok || !byIP.ok) throw new Error(JSON.stringify([byName, byIP]));
    for (const t of [byName.value, byIP.value]) {
      expect(t.hops.find((h) => h.action === 'dnat')?.packet.dst).toBe('192.168.1.10:6443');
      expect([t.verdict, t.code]).toEqual(['delivered', 'delivered']);
      expect(t.candidates).toEqual(['192.168.1.10:6443']);
      const deliver = t.hops.find((h) => h.action === 'deliver')!;
      expect(deliver.netns).toBe('n1');
      expect(deliver.assumed).toEqual({ because: 'given-endpoint', service: 'default/kubernetes' });
      expect(deliver.why).toContain("the input's endpoints of Service default/kubernetes list 192.168.1.10:6443");
    }
    expect(byIP.value.hops.map((h) => [h.netns, h.action])).toEqual(byName.value.hops.map((h) => [h.netns, h.action]));
  });

  it('a selector-less Service without endpoints in the file: the same clear answer by name and by ClusterIP', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec: {clusterIP: 10.43.0.80, ports: [{port: 80}]}
`;
    const s = loaded(CLUSTER + svc + client);
    const byName = traced(s, { kind: 'service', namespace: 'default', name: 'ext', port: 80 });
    const byIP = traced(s, { kind: 'ip', ip: '10.43.0.80', port: 80 });
    expect(byName.ok || byIP.ok).toBe(false);
    if (!byName.ok && !byIP.ok) {
      expect(byIP.issues[0].reason).toBe(byName.issues[0].reason);
      expect(byName.issues[0].reason).toContain('has no selector: its endpoints are kept by hand');
    }
  });

  it('an endpoint outside anything podpath models: the walk leaves for the router and says nothing in the cluster answers', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec: {clusterIP: 10.43.0.60, ports: [{port: 5432}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: db-1, namespace: default, labels: {kubernetes.io/service-name: db}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.5]}]
ports: [{name: "", port: 5432, protocol: TCP}]
`;
    const t = traced(loaded(CLUSTER + svc + client), { kind: 'service', namespace: 'default', name: 'db', port: 5432 });
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    expect(t.value.hops.find((h) => h.action === 'dnat')?.packet.dst).toBe('10.0.0.5:5432');
    expect(t.value.code).not.toBe('delivered');
    expect(t.value.hops.some((h) => h.action === 'deliver')).toBe(false);
    expect(t.value.endpoint).toBeUndefined();
  });

  it('metrics-server, Ready and serving on a port no container declares, is reached (with the assumption said)', () => {
    const ms = `---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec: {selector: {k8s-app: metrics-server}, clusterIP: 10.43.0.90, ports: [{name: https, port: 443, targetPort: 4443}]}
` + livePod('metrics-server-abc', { ns: 'kube-system', ip: '10.42.0.8', labels: '{k8s-app: metrics-server}', ports: '[]' });
    const t = traced(loaded(CLUSTER + ms + client), { kind: 'service', namespace: 'kube-system', name: 'metrics-server', port: 443 });
    if (!t.ok) throw new Error(JSON.stringify(t.issues));
    expect(t.value.verdict).toBe('delivered');
    expect(t.value.hops.find((h) => h.action === 'deliver')?.why).toContain('no container declares 4443; Kubernetes does not require it, so podpath assumes the pod listens there because Service kube-system/metrics-server targets it');
  });

  it('the lab (and so the kernel differential) starts a listener on the port the engine assumes, so both agree', () => {
    const ms = `---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec: {selector: {k8s-app: metrics-server}, clusterIP: 10.43.0.90, ports: [{name: https, port: 443, targetPort: 4443}]}
` + livePod('metrics-server-abc', { ns: 'kube-system', ip: '10.42.0.8', labels: '{k8s-app: metrics-server}', ports: '[{containerPort: 10250}]' });
    const plan = labPlan(compile(loaded(CLUSTER + ms + client)));
    const pod = plan.nodes.flatMap((n) => n.pods).find((p) => p.key === 'kube-system/metrics-server-abc')!;
    expect(pod.ports).toEqual([{ port: 10250, protocol: 'TCP' }, { port: 4443, protocol: 'TCP' }]);
  });

  it('a Pending pod has no address to send from or to: said plainly', () => {
    const s = loaded(CLUSTER + client + livePod('web-pending', { phase: 'Pending', ready: false }));
    const to = traced(s, { kind: 'pod', namespace: 'default', name: 'web-pending', port: 80 });
    const from = traced(s, { kind: 'pod', namespace: 'default', name: 'client', port: 80 }, { kind: 'pod', namespace: 'default', name: 'web-pending' });
    expect(to.ok || from.ok).toBe(false);
    if (!to.ok) expect(to.issues[0].reason).toBe('pod default/web-pending has no address: it is Pending: the node has not started its sandbox, so it has no address yet');
    if (!from.ok) {
      expect(from.issues[0].field).toBe('--from');
      expect(from.issues[0].reason).not.toContain('Service');
    }
  });

  it('--from external to a NodePort Service says which node/NAME:NODEPORT to use', () => {
    const lb = `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {type: LoadBalancer, selector: {app: web}, clusterIP: 10.43.0.50, ports: [{port: 80, targetPort: 80, nodePort: 31080}]}
`;
    const s = loaded(CLUSTER + lb + livePod('web-a', { ip: '10.42.0.5' }));
    const t = traced(s, { kind: 'service', namespace: 'default', name: 'web', port: 80 }, { kind: 'external' });
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.issues[0].reason).toContain('--to node/n1:31080');
    const viaNode = traced(s, { kind: 'node', name: 'n1', port: 31080 }, { kind: 'external' });
    expect(viaNode.ok && viaNode.value.verdict).toBe('delivered');
  });
});

describe('a dump\'s placement is its own', () => {
  it('a workload whose pods are in the file is not placed by podpath, so its tolerations are not said to be ignored', () => {
    const tolerating = DEPLOYMENT.replaceAll('spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}', 'spec: {tolerations: [{key: CriticalAddonsOnly, operator: Exists}], containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}');
    const withPods = warningsOf(CLUSTER + tolerating + livePod('web-7d4b9c-aaaaa', { ip: '10.42.0.5', owner: 'ReplicaSet/web-7d4b9c' }));
    expect(withPods.map((w) => w.code)).not.toContain('placement-ignored');
    // Without its pods it is expanded and placed by podpath's rule: then it is said.
    expect(warningsOf(CLUSTER + tolerating).find((w) => w.code === 'placement-ignored')?.message).toContain('Deployment default/web (tolerations)');
  });
});

describe('given endpoints after an edit', () => {
  it('a selector given to default/kubernetes in the playground: its endpoints are computed, the file\'s are dropped on the way round', async () => {
    const { setSelector } = await import('../edit.ts');
    const s = loaded(CLUSTER + KUBERNETES + livePod('api', { ip: '10.42.0.5', labels: '{app: api}' }));
    const edited = setSelector(s, 'default/kubernetes', { app: 'api' });
    if (!edited.ok) throw new Error(JSON.stringify(edited.issues));
    const v = edited.value.services.find((x) => x.name === 'kubernetes')!;
    // kube-proxy follows the selector now, not the API server's address the file gave.
    expect(endpointsOf(edited.value, v, v.ports[0]).map((e) => `${e.ip}:${e.port}`)).toEqual(['10.42.0.5:6443']);
    expect(edited.value.nodes.every((n) => compile(edited.value).netns(n.name)!.listeners.length === 0)).toBe(true);
    // Written and read back (a save, an undo step): the file's endpoints are gone.
    expect(loaded(writeScenario(edited.value)).services.find((x) => x.name === 'kubernetes')!.givenEndpoints).toBeUndefined();
  });
});
