import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, writeScenario } from '../index.ts';
import { cluster, load, node, pod, scenarioFile, service } from '../testing/helpers.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {deployment.kubernetes.io/revision: "3"}
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  strategy: {type: RollingUpdate}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27   # a comment
          env: [{name: MODE, value: prod}]
          resources: {requests: {cpu: 100m}, limits: {memory: 128Mi}}
          ports:
            - {name: http, containerPort: 8080}
          someFieldFromTheFuture: true
`;

describe('reading real manifests', () => {
  it('imports a Deployment as-is: pods named NAME-HASH-XXXXX, labels from the template, spread over nodes', () => {
    const r = loadScenario(deployment);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const pods = r.value.pods;
    expect(pods).toHaveLength(4);
    const hash = pods[0].labels['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const p of pods) {
      expect(p.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.namespace).toBe('shop');
      expect(p.labels).toMatchObject({ app: 'web', tier: 'frontend' });
      expect(p.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    }
    expect(new Set(pods.map((p) => p.name)).size).toBe(4);
    // Spread like PodTopologySpread: 4 replicas over the 3 default nodes → 2, 1, 1.
    expect(pods.map((p) => p.nodeName)).toEqual(['node-1', 'node-2', 'node-3', 'node-1']);
    // A field podpath's list does not have is named, not refused (it may be newer than the list).
    expect(r.warnings).toEqual([
      expect.stringContaining('Deployment/shop/web: spec.template.spec.containers[0].someFieldFromTheFuture'),
      expect.stringContaining('no podpath.dev/v1alpha1 Cluster document'),
      expect.stringContaining('no Node documents: using three nodes'),
    ]);
  });
  it('is deterministic: the same file gives the same pods', () => {
    const a = loadScenario(deployment);
    const b = loadScenario(deployment);
    expect(a.ok && a.value.pods.map((p) => [p.name, p.podIP])).toEqual(b.ok && b.value.pods.map((p) => [p.name, p.podIP]));
  });
  it('StatefulSets get NAME-0..n-1, DaemonSets one pod per node', () => {
    const s = load(
      cluster('flannel-vxlan') + node('a') + node('b') +
        `---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {replicas: 3, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: pg, image: postgres}]}}}\n` +
        `---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec: {template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, image: x}]}}}\n`,
    );
    expect(s.pods.filter((p) => p.ownerKind === 'StatefulSet').map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    const agents = s.pods.filter((p) => p.ownerKind === 'DaemonSet');
    expect(agents.map((p) => p.nodeName)).toEqual(['a', 'b']);
    expect(agents.every((p) => /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.name))).toBe(true);
  });
  it('skips kinds it does not model, with one warning naming them', () => {
    const r = parseScenario(cluster('flannel-vxlan') + node('a') + `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n`);
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([{ code: 'kinds-skipped', message: 'skipped kinds podpath does not model: ConfigMap (2), Ingress' }]);
  });
  it('skips hostNetwork pods and workloads (a real dump has them in kube-system), saying which', () => {
    const r = parseScenario(
      cluster('flannel-vxlan') + node('a') +
        `---\napiVersion: v1\nkind: Pod\nmetadata: {name: kube-proxy-x, namespace: kube-system}\nspec: {hostNetwork: true, nodeName: a, containers: [{name: p, image: x}]}\nstatus: {podIP: 192.168.56.10}\n` +
        `---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kube-flannel-ds, namespace: kube-flannel}\nspec: {template: {metadata: {labels: {app: flannel}}, spec: {hostNetwork: true, containers: [{name: f, image: x}]}}}\n` +
        pod('web', 'a', {}),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.pods.map((p) => p.name)).toEqual(['web']);
    expect(r.warnings).toEqual([{ code: 'host-network-skipped', message: expect.stringMatching(/^skipped hostNetwork pods .*: kube-system\/kube-proxy-x, DaemonSet kube-flannel\/kube-flannel-ds$/) }]);
  });
  it('says what it does not model instead of pretending: placement constraints (a traffic policy is read)', () => {
    const r = parseScenario(
      cluster('flannel-vxlan') + `---\napiVersion: v1\nkind: Node\nmetadata: {name: a}\nspec: {taints: [{key: k, effect: NoSchedule}]}\n` +
        `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeSelector: {disk: ssd}, containers: [{name: c, image: x}]}\n` +
        service('s', {}, [{ port: 80 }], 'NodePort', { externalTrafficPolicy: 'Local' }),
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.services[0].externalTrafficPolicy).toBe('Local');
    expect(r.warnings).toEqual([
      { code: 'placement-ignored', message: expect.stringContaining('ignores nodeSelector, affinity, tolerations and topology spread of: Pod default/p (nodeSelector)') },
      { code: 'placement-ignored', message: expect.stringContaining('ignores the taints of nodes a') },
    ]);
  });
  it('reads traffic policies as the API server takes them, and refuses what it would refuse', () => {
    const ok = parseScenario(service('s', { app: 'x' }, [{ port: 80 }], 'ClusterIP', { internalTrafficPolicy: 'Local' }));
    if (!ok.ok) throw new Error(JSON.stringify(ok.issues));
    expect(ok.value.services[0]).toMatchObject({ internalTrafficPolicy: 'Local' });
    expect(ok.value.services[0].externalTrafficPolicy).toBeUndefined();
    const onClusterIP = parseScenario(service('s', { app: 'x' }, [{ port: 80 }], 'ClusterIP', { externalTrafficPolicy: 'Local' }));
    expect(onClusterIP.ok).toBe(false);
    if (!onClusterIP.ok) expect(onClusterIP.issues[0]).toMatchObject({ field: 'spec.externalTrafficPolicy', reason: 'may only be set when type is NodePort or LoadBalancer, and this Service is type ClusterIP' });
    const lower = parseScenario(service('s', { app: 'x' }, [{ port: 80 }], 'NodePort', { externalTrafficPolicy: 'local' }));
    expect(lower.ok).toBe(false);
    if (!lower.ok) expect(lower.issues[0]).toMatchObject({ field: 'spec.externalTrafficPolicy', reason: 'must be Cluster or Local, got "local"' });
  });
  it('a dump from a cluster with other ranges and no Cluster document: its ranges are inferred from it, not the defaults', () => {
    const dump = `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: k3s-1}, spec: {podCIDR: 10.42.0.0/24}, status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}}\n`;
    const r = loadScenario(dump, 'dump.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.cluster).toMatchObject({ podCIDR: '10.42.0.0/24', nodeNetwork: '172.18.0.0/24' });
    expect(r.value.nodes[0]).toMatchObject({ internalIP: '172.18.0.3', podCIDR: '10.42.0.0/24' });
    expect(r.warnings[0]).toContain('no podpath.dev/v1alpha1 Cluster document, so one was inferred');
    const services = loadScenario(node('a') + service('web', {}, [{ port: 80 }], 'ClusterIP', { clusterIP: '10.43.0.20' }), 'dump.yaml');
    if (!services.ok) throw new Error(JSON.stringify(services.issues));
    // No kubernetes Service says where the range starts: the smallest one that holds 10.43.0.20 as a usable address.
    expect(services.value.cluster.serviceCIDR).toBe('10.43.0.16/29');
  });
  it('a bad field is reported at its own line, in a document or a List item', () => {
    const doc = `apiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: a\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 99999\n`;
    const r = parseScenario(doc, 'f.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ document: 'Pod/default/p', field: 'spec.containers[0].ports[0].containerPort', reason: 'must be a port number 1-65535, got 99999', line: 15 }]);
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec:\n    ports:\n    - port: 0\n`;
    const l = parseScenario(list, 'l.yaml');
    expect(l.ok).toBe(false);
    if (!l.ok) expect(l.issues[0]).toMatchObject({ document: 'Service/default/s', field: 'spec.ports[0].port', line: 9 });
  });
  it('warns about what changes paths and is not modelled: hostIP, sessionAffinity, externalIPs', () => {
    const r = parseScenario(
      cluster('flannel-vxlan') + node('a') + pod('hp', 'a', {}, [{ containerPort: 82, hostPort: 8082, hostIP: '127.0.0.1' }]) +
        service('s', {}, [{ port: 80 }], 'ClusterIP', { sessionAffinity: 'ClientIP', externalIPs: ['192.168.56.200'] }),
    );
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['not-modelled', 'not-modelled', 'not-modelled']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('sessionAffinity: ClientIP is not modelled'),
      expect.stringContaining('externalIPs (192.168.56.200) are not modelled'),
      expect.stringContaining('not modelled, Pod/default/hp: hostIP 127.0.0.1 of hostPort 8082'),
    ]);
  });
  it('two containers of one pod on the same port: accepted (the API server only warns), the second cannot bind it (address-in-use)', () => {
    const twoOn80 = `---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: a
  containers:
    - {name: nginx, image: nginx, ports: [{containerPort: 80}]}
    - {name: sidecar, image: nginx, ports: [{containerPort: 80}, {containerPort: 9090}]}
    - {name: dns, image: coredns, ports: [{containerPort: 80, protocol: UDP}]}
`;
    const r = parseScenario(cluster('bridge-hostgw') + node('a') + twoOn80);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    // loadScenario hands the same sentence on to the playground and the CLI.
    expect(loadScenario(cluster('bridge-hostgw') + node('a') + twoOn80).warnings).toEqual([expect.stringContaining('address already in use')]);
    // One socket holds 80/TCP in the pod's netns; 80/UDP is another port table entry, no clash.
    expect(r.value.pods[0].ports.map((p) => `${p.containerPort}/${p.protocol}`)).toEqual(['80/TCP', '9090/TCP', '80/UDP']);
    const clash = r.warnings.filter((w) => w.code === 'address-in-use');
    expect(clash).toHaveLength(1);
    expect(clash[0].message).toContain('Pod/default/web: containers nginx and sidecar both declare containerPort 80/TCP');
    expect(clash[0].message).toContain('EADDRINUSE (address already in use)');
    expect(clash[0].message).toContain('Kubernetes accepts the pod');
    expect(clash[0].message).not.toMatch(/refuse|reject/);
  });
  it('a port written as a string is refused, as the API server refuses it', () => {
    const r = parseScenario(cluster('flannel-vxlan') + node('a') + service('s', {}, [{ port: '80', targetPort: '8080', nodePort: '30080' }], 'NodePort'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => [i.field, i.reason])).toEqual([
        ['spec.ports[0].port', 'must be a number, got the string "80" (write it without quotes)'],
        ['spec.ports[0].targetPort', '"8080" is a string, so it would be a port name, and a port name needs a letter: write the number without quotes'],
        ['spec.ports[0].nodePort', 'must be a number, got the string "30080" (write it without quotes)'],
      ]);
  });
  it('reads JSON and kind: List (kubectl get -o json / -o yaml)', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kind-worker', managedFields: [{ manager: 'kubelet' }] }, spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.56.20' }, { type: 'Hostname', address: 'kind-worker' }], conditions: [] } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { nodeName: 'kind-worker', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] }, status: { podIP: '10.244.1.9', phase: 'Running', hostIP: '192.168.56.20' } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.44.4', clusterIPs: ['10.96.44.4'], selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 31234, protocol: 'TCP' }] }, status: { loadBalancer: {} } },
      ],
    };
    const r = loadScenario(JSON.stringify(list));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.nodes[0]).toMatchObject({ name: 'kind-worker', internalIP: '192.168.56.20', podCIDR: '10.244.1.0/24' });
    expect(r.value.pods[0].podIP).toBe('10.244.1.9');
    expect(r.value.services[0]).toMatchObject({ clusterIP: '10.96.44.4', ports: [{ port: 80, targetPort: 80, nodePort: 31234, protocol: 'TCP' }] });
  });
  it('applies Kubernetes defaults: targetPort = port, protocol TCP, namespace default', () => {
    const s = load(cluster('flannel-vxlan') + node('a') + `---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {a: b}, ports: [{port: 8443}]}\n`);
    expect(s.services[0]).toMatchObject({ namespace: 'default', type: 'ClusterIP', ports: [{ port: 8443, targetPort: 8443, protocol: 'TCP' }] });
  });
});

describe('bad files', () => {
  it('YAML that does not parse: line and column', () => {
    const r = parseScenario('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a, b\n  labels: x\n', 'broken.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]).toMatchObject({ document: 'broken.yaml', reason: expect.stringMatching(/^YAML does not parse: /), line: expect.any(Number), column: expect.any(Number) });
  });
  it('a field of the wrong type names the document and field', () => {
    const r = parseScenario(cluster('flannel-vxlan') + `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, ports: [{containerPort: 99999}]}]}\n`);
    expect(!r.ok && r.issues[0]).toMatchObject({ document: 'Pod/default/p', field: 'spec.containers[0].ports[0].containerPort', reason: 'must be a port number 1-65535, got 99999' });
  });
  it('ipMasq that is not true or false', () => {
    const r = parseScenario(cluster('flannel-vxlan', { ipMasq: 'yes' }));
    expect(!r.ok && r.issues[0]).toMatchObject({ document: 'Cluster/t', field: 'spec.ipMasq', reason: 'must be true or false, got "yes"' });
  });
  it('an unknown CNI', () => {
    const r = parseScenario(cluster('weave'));
    expect(!r.ok && r.issues[0]).toMatchObject({ document: 'Cluster/t', field: 'spec.cni', reason: 'must be one of bridge-hostgw, flannel-vxlan, vpc, calico, cilium, got "weave"' });
  });
});

describe("the Cluster's ipMasq (flanneld --ip-masq)", () => {
  it('is on when the file does not say (kube-flannel.yml runs flanneld --ip-masq), off when it says false', () => {
    expect(load(cluster('flannel-vxlan') + node('a')).cluster.ipMasq).toBeUndefined();
    expect(load(cluster('flannel-vxlan', { ipMasq: false }) + node('a')).cluster.ipMasq).toBe(false);
    expect(load(cluster('flannel-vxlan', { ipMasq: true }) + node('a')).cluster.ipMasq).toBe(true);
  });
  it('is written back as it was read', () => {
    const off = load(cluster('bridge-hostgw', { ipMasq: false }) + node('a'));
    expect(writeScenario(off)).toContain('ipMasq: false');
    expect(load(writeScenario(off))).toEqual(off);
  });
});

describe('a node that keeps cni0 without pods', () => {
  it('reads and writes the podpath.dev/cni0-created annotation', () => {
    const s = load(cluster('flannel-vxlan') + '---\napiVersion: v1\nkind: Node\nmetadata: {name: a, annotations: {podpath.dev/cni0-created: "true"}}\n');
    expect(s.nodes[0].cni0Created).toBe(true);
    expect(writeScenario(s)).toContain("podpath.dev/cni0-created: \"true\"");
    expect(load(writeScenario(s))).toEqual(s);
    const bad = parseScenario(cluster('flannel-vxlan') + '---\napiVersion: v1\nkind: Node\nmetadata: {name: a, annotations: {podpath.dev/cni0-created: "yes"}}\n');
    expect(!bad.ok && bad.issues[0]).toMatchObject({ document: 'Node/a', field: 'metadata.annotations[podpath.dev/cni0-created]', reason: 'must be "true" or "false", got "yes"' });
  });
});

describe('writing', () => {
  for (const file of ['flannel-vxlan.yaml', 'bridge-hostgw.yaml', 'vpc.yaml']) {
    it(`${file} round-trips: written YAML re-imports to the same cluster`, () => {
      const s = load(scenarioFile(file));
      const again = load(writeScenario(s));
      expect(again).toEqual(s);
    });
  }
});
