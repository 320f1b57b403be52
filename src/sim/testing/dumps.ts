// Small hand-written `kubectl cluster-info dump`s, in both of its layouts: the one
// stream kubectl writes to stdout (pretty-printed JSON values one after another, the
// pods' logs between them) and the --output-directory tree. Items carry no kind, as
// kubectl prints the typed clientset's lists (see dumpLayout.ts).
type Obj = Record<string, unknown>;

export interface DumpNode {
  name: string;
  podCIDR?: string;
  internalIP?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  kubelet?: string;
}

export interface DumpPod {
  namespace: string;
  name: string;
  nodeName: string;
  podIP?: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  ports?: object[];
}

export interface DumpService {
  namespace: string;
  name: string;
  clusterIP: string;
  selector?: Record<string, string>;
  ports: object[];
}

export interface DumpContent {
  nodes: DumpNode[];
  pods: DumpPod[];
  services: DumpService[];
  /** DaemonSets by namespace/name (their pods are in `pods`). */
  daemonSets?: { namespace: string; name: string; hostNetwork?: boolean }[];
}

/** One list of the dump: where --output-directory writes it, and the List itself. */
export interface DumpList {
  path: string;
  list: Obj;
}

const list = (kind: string, items: Obj[]): Obj => ({ kind, apiVersion: kind === 'DaemonSetList' || kind === 'DeploymentList' || kind === 'ReplicaSetList' ? 'apps/v1' : 'v1', metadata: { resourceVersion: '4242' }, items });

/** The lists in the order kubectl writes them: nodes, then per namespace events … pods. */
export function dumpLists(c: DumpContent): DumpList[] {
  const nodes = c.nodes.map((n) => ({
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels }, annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...n.annotations } },
    spec: n.podCIDR ? { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] } : {},
    status: {
      addresses: [...(n.internalIP ? [{ type: 'InternalIP', address: n.internalIP }] : []), { type: 'Hostname', address: n.name }],
      nodeInfo: { kubeletVersion: n.kubelet ?? 'v1.31.2', containerRuntimeVersion: 'containerd://1.7.22' },
    },
  }));
  const out: DumpList[] = [{ path: 'nodes.json', list: list('NodeList', nodes) }];
  const namespaces = [...new Set([...c.pods.map((p) => p.namespace), ...c.services.map((s) => s.namespace)])].sort();
  for (const ns of namespaces) {
    const services = c.services.filter((s) => s.namespace === ns).map((s) => ({ metadata: { name: s.name, namespace: ns }, spec: { type: 'ClusterIP', clusterIP: s.clusterIP, clusterIPs: [s.clusterIP], ...(s.selector ? { selector: s.selector } : {}), ports: s.ports } }));
    const sets = (c.daemonSets ?? [])
      .filter((d) => d.namespace === ns)
      .map((d) => ({ metadata: { name: d.name, namespace: ns }, spec: { selector: { matchLabels: { app: d.name } }, template: { metadata: { labels: { app: d.name } }, spec: { hostNetwork: d.hostNetwork ?? true, containers: [{ name: d.name, image: `${d.name}:1` }] } } } }));
    const pods = c.pods
      .filter((p) => p.namespace === ns)
      .map((p) => ({
        metadata: { name: p.name, namespace: ns, labels: p.labels ?? {} },
        spec: { nodeName: p.nodeName, ...(p.hostNetwork ? { hostNetwork: true } : {}), containers: [{ name: 'main', image: 'x:1', ...(p.ports ? { ports: p.ports } : {}) }] },
        status: { phase: 'Running', ...(p.podIP ? { podIP: p.podIP, podIPs: [{ ip: p.podIP }] } : {}) },
      }));
    out.push(
      { path: `${ns}/events.json`, list: list('EventList', [{ metadata: { name: `x.17f`, namespace: ns }, reason: 'Pulled', message: 'image "x:1" already present' }]) },
      { path: `${ns}/replication-controllers.json`, list: list('ReplicationControllerList', []) },
      { path: `${ns}/services.json`, list: list('ServiceList', services) },
      { path: `${ns}/daemonsets.json`, list: list('DaemonSetList', sets) },
      { path: `${ns}/deployments.json`, list: list('DeploymentList', []) },
      { path: `${ns}/replicasets.json`, list: list('ReplicaSetList', []) },
      { path: `${ns}/pods.json`, list: list('PodList', pods) },
    );
  }
  return out;
}

/** A pod's logs as kubectl frames them; the log lines themselves look like JSON and YAML on purpose. */
export function podLogs(namespace: string, pod: string): string {
  const c = `container main of pod ${namespace}/${pod}`;
  return `==== START logs for ${c} ====\n{"level":"info","msg":"listening on :8080 {"}\n---\nkind: NotAKind\n==== END logs for ${c} ====\n`;
}

/** As `kubectl cluster-info dump` writes to stdout: kubectl's JSON printer (4-space indent), each PodList followed by its pods' logs. */
export function dumpStream(lists: DumpList[]): string {
  let out = '';
  for (const { list: l } of lists) {
    out += JSON.stringify(l, null, 4) + '\n';
    if (l.kind === 'PodList') for (const p of l.items as Obj[]) out += podLogs((p.metadata as Obj).namespace as string, (p.metadata as Obj).name as string);
  }
  return out;
}

/** As `kubectl cluster-info dump --output-directory DIR` writes it: path → text, logs.txt per pod included. */
export function dumpDirectory(lists: DumpList[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { path, list: l } of lists) {
    files[path] = JSON.stringify(l, null, 4) + '\n';
    if (l.kind === 'PodList') for (const p of l.items as Obj[]) files[`${(p.metadata as Obj).namespace as string}/${(p.metadata as Obj).name as string}/logs.txt`] = podLogs((p.metadata as Obj).namespace as string, (p.metadata as Obj).name as string);
  }
  return files;
}

const FLANNEL = 'flannel.alpha.coreos.com';
const flannel = (backend: string, ip: string) => ({ [`${FLANNEL}/backend-type`]: backend, [`${FLANNEL}/backend-data`]: backend === 'vxlan' ? '{"VNI":1,"VtepMAC":"8e:1d:2c:3b:4a:59"}' : 'null', [`${FLANNEL}/kube-subnet-manager`]: 'true', [`${FLANNEL}/public-ip`]: ip });

/** kubeadm with flannel (vxlan unless told): two nodes, CoreDNS, a web pod and its Service. */
export function kubeadmFlannel(backend = 'vxlan'): DumpContent {
  return {
    nodes: [
      { name: 'cp-1', podCIDR: '10.244.0.0/24', internalIP: '192.168.122.10', annotations: flannel(backend, '192.168.122.10') },
      { name: 'worker-1', podCIDR: '10.244.1.0/24', internalIP: '192.168.122.11', annotations: flannel(backend, '192.168.122.11') },
    ],
    pods: [
      { namespace: 'kube-system', name: 'coredns-7c65d6cfc9-x2bqf', nodeName: 'cp-1', podIP: '10.244.0.2', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] },
      { namespace: 'kube-system', name: 'kube-proxy-4xk2p', nodeName: 'cp-1', hostNetwork: true },
      { namespace: 'default', name: 'web-1', nodeName: 'worker-1', podIP: '10.244.1.5', labels: { app: 'web' }, ports: [{ containerPort: 8080 }] },
    ],
    services: [
      { namespace: 'default', name: 'kubernetes', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
      { namespace: 'default', name: 'web', clusterIP: '10.96.120.7', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      { namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] },
    ],
    daemonSets: [{ namespace: 'kube-system', name: 'kube-proxy' }],
  };
}

/** k3s: its own ranges (10.42/10.43), flannel vxlan annotations, a kubelet version that says k3s. */
export function k3sLike(kubelet = 'v1.30.6+k3s1'): DumpContent {
  return {
    nodes: [
      { name: 'k3s-server', podCIDR: '10.42.0.0/24', internalIP: '10.0.2.15', annotations: flannel('vxlan', '10.0.2.15'), kubelet, labels: { 'node.kubernetes.io/instance-type': kubelet.includes('k3s') ? 'k3s' : 'vm' } },
      { name: 'k3s-agent', podCIDR: '10.42.1.0/24', internalIP: '10.0.2.16', annotations: flannel('vxlan', '10.0.2.16'), kubelet, labels: { 'node.kubernetes.io/instance-type': kubelet.includes('k3s') ? 'k3s' : 'vm' } },
    ],
    pods: [
      { namespace: 'kube-system', name: 'coredns-56f6fc8fd7-k9wzq', nodeName: 'k3s-server', podIP: '10.42.0.4', labels: { 'k8s-app': 'kube-dns' } },
      { namespace: 'default', name: 'web-1', nodeName: 'k3s-agent', podIP: '10.42.1.3', labels: { app: 'web' }, ports: [{ containerPort: 8080 }] },
    ],
    services: [
      { namespace: 'default', name: 'kubernetes', clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
      { namespace: 'kube-system', name: 'kube-dns', clusterIP: '10.43.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
    ],
  };
}

/** kind: kindnet's DaemonSet and pods, nodes on docker's 172.18.0.0/16 network. */
export function kindLike(): DumpContent {
  return {
    nodes: [
      { name: 'kind-control-plane', podCIDR: '10.244.0.0/24', internalIP: '172.18.0.3' },
      { name: 'kind-worker', podCIDR: '10.244.1.0/24', internalIP: '172.18.0.2' },
    ],
    pods: [
      { namespace: 'kube-system', name: 'kindnet-8xq2v', nodeName: 'kind-control-plane', hostNetwork: true },
      { namespace: 'kube-system', name: 'kindnet-mz7kc', nodeName: 'kind-worker', hostNetwork: true },
      { namespace: 'default', name: 'web-1', nodeName: 'kind-worker', podIP: '10.244.1.2', labels: { app: 'web' }, ports: [{ containerPort: 8080 }] },
    ],
    services: [{ namespace: 'default', name: 'kubernetes', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }],
    daemonSets: [{ namespace: 'kube-system', name: 'kindnet' }],
  };
}
