// Editing a Scenario the way a person does in the playground: add a node, drop a
// pod on it, move it, rename things, change ports and selectors, delete.
// Every operation is pure (a new Scenario, the old one untouched) and ends in the
// engine's IPAM, so what was already allocated stays stored: nobody is renumbered.

import type { PodpathIssue, Result } from './errors.ts';
import { fail, ok } from './errors.ts';
import type { ClusterSpec, ContainerPort, NodeSpec, PodSpec, Scenario, ServicePort, ServiceSpec, ServiceType } from './model.ts';
import { objectKey, selectorMatches } from './model.ts';
import { allocate } from './ipam/index.ts';
import { cniOf } from './cni/index.ts';
import { labelsProblem, nameProblem, portNameProblem, servicePortNamesProblem, type NamedKind } from './names.ts';
import { expandWorkload } from './scenario/workloads.ts';
import { parseAllDocuments } from 'yaml';
import { parseScenario } from './scenario/parse.ts';
import type { NetworkPolicy } from './policy/types.ts';

export type ElementKind = 'node' | 'pod' | 'service';

const KIND: Record<ElementKind, NamedKind> = { node: 'Node', pod: 'Pod', service: 'Service' };

/** Every edit ends here: IPAM fills in what is new and keeps what was stored. */
function finish(s: Scenario): Result<Scenario> {
  return allocate(s);
}

function issue(document: string, field: string, reason: string): Result<Scenario> {
  return fail([{ document, field, reason }]);
}

function docName(kind: ElementKind, key: string): string {
  return `${KIND[kind]}/${key}`;
}

/** Kubernetes' rule for this kind's name (and, for a new pod or Service, its namespace's). */
function checkName(kind: ElementKind, key: string, name: string, namespace?: string): PodpathIssue | undefined {
  const bad = nameProblem(KIND[kind], name);
  if (bad) return { document: docName(kind, key), field: 'metadata.name', reason: bad };
  const badNamespace = namespace === undefined ? undefined : nameProblem('Namespace', namespace);
  if (badNamespace) return { document: docName(kind, key), field: 'metadata.namespace', reason: badNamespace };
  return undefined;
}

function checkLabels(document: string, field: string, labels: Record<string, string>): PodpathIssue | undefined {
  const reason = labelsProblem(labels);
  return reason ? { document, field, reason } : undefined;
}

function checkPort(document: string, field: string, port: number, min = 1, max = 65535): PodpathIssue | undefined {
  if (!Number.isInteger(port) || port < min || port > max) {
    return { document, field, reason: `${port} is not a port number (${min}–${max})` };
  }
  return undefined;
}

/** The first `prefix-N` (N from 1) not in `taken`. */
export function nextName(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) if (!used.has(`${prefix}-${i}`)) return `${prefix}-${i}`;
}

function findPod(s: Scenario, key: string): PodSpec | undefined {
  return s.pods.find(isObject(key));
}

/** Whether an object is `namespace/name`, without making the key of each of 10,000 pods on every edit. */
function isObject(key: string): (o: { namespace: string; name: string }) => boolean {
  const slash = key.indexOf('/');
  const namespace = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return slash < 0 ? () => false : (o) => o.name === name && o.namespace === namespace;
}
function findService(s: Scenario, key: string): ServiceSpec | undefined {
  return s.services.find((v) => objectKey(v) === key);
}
function notFound(kind: ElementKind, key: string): Result<Scenario> {
  return issue(docName(kind, key), 'metadata.name', `there is no ${kind} named ${key}`);
}

// ---- cluster -------------------------------------------------------------------

/**
 * Change the Cluster document. Addresses that came from a range that changed are
 * handed out again, as they would be if the cluster were rebuilt: a new CNI
 * addressing plan (node network ↔ podCIDR-based) or pod range re-creates the pods with new
 * IPs, a new node network renumbers the nodes, a new service CIDR the Services.
 * Between two CNIs with the same addressing (flannel's backends) every address stays.
 */
export function setCluster(s: Scenario, patch: Partial<ClusterSpec>): Result<Scenario> {
  const before = s.cluster;
  const after = { ...before, ...patch };
  const onNodeNetwork = (c: ClusterSpec) => cniOf(c).addressing === 'node-network';
  // A new Calico pool (block size, or a tunnel address to take from each node's first block) is a new plan too.
  const calicoPoolChanged = cniOf(after).calico !== undefined && cniOf(before).calico !== cniOf(after).calico;
  const podPlanChanged = cniOf(before).addressing !== cniOf(after).addressing || before.podCIDR !== after.podCIDR || before.nodeCIDRMaskSize !== after.nodeCIDRMaskSize || calicoPoolChanged;
  const nodeNetworkChanged = before.nodeNetwork !== after.nodeNetwork;
  const podsMove = podPlanChanged || (onNodeNetwork(after) && nodeNetworkChanged);
  const nodes = s.nodes.map((n) => {
    const copy = { ...n };
    if (podPlanChanged) delete copy.podCIDR;
    if (nodeNetworkChanged) delete copy.internalIP;
    if (podsMove) {
      // The pods are made anew: the nodes are as if rebuilt, with no host-local state and no cni0 yet.
      delete copy.lastReservedIP;
      delete copy.cni0Created;
      delete copy.calicoBlocks;
    }
    return copy;
  });
  const pods = podsMove ? s.pods.map(({ podIP: _old, ...p }) => p) : s.pods;
  const services = before.serviceCIDR !== after.serviceCIDR ? s.services.map(({ clusterIP: _old, ...v }) => v) : s.services;
  return finish({ ...s, cluster: after, nodes, pods, services });
}

/** An empty cluster with the same CIDRs, CNI and kube-proxy mode. */
export function clear(s: Scenario): Scenario {
  return { cluster: { ...s.cluster }, namespaces: ['default'], nodes: [], pods: [], services: [] };
}

// ---- nodes ---------------------------------------------------------------------

export function addNode(s: Scenario, name = nextName('node', s.nodes.map((n) => n.name))): Result<Scenario> {
  const bad = checkName('node', name, name);
  if (bad) return fail([bad]);
  if (s.nodes.some((n) => n.name === name)) return issue(`Node/${name}`, 'metadata.name', `a node named ${name} already exists`);
  const node: NodeSpec = { name, labels: { 'kubernetes.io/hostname': name } };
  return finish({ ...s, nodes: [...s.nodes, node] });
}

// ---- pods ----------------------------------------------------------------------

export interface NewPod {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  ports?: ContainerPort[];
}

export function addPod(s: Scenario, nodeName: string, opts: NewPod = {}): Result<Scenario> {
  if (!s.nodes.some((n) => n.name === nodeName)) return issue(`Node/${nodeName}`, 'metadata.name', `there is no node named ${nodeName} to put the pod on`);
  const namespace = opts.namespace ?? 'default';
  const name = opts.name ?? nextName('pod', s.pods.filter((p) => p.namespace === namespace).map((p) => p.name));
  const key = `${namespace}/${name}`;
  const bad = checkName('pod', key, name, namespace);
  if (bad) return fail([bad]);
  if (findPod(s, key)) return issue(`Pod/${key}`, 'metadata.name', `a pod named ${key} already exists`);
  const pod: PodSpec = {
    namespace,
    name,
    labels: opts.labels ?? { app: name },
    nodeName,
    ports: opts.ports ?? [{ containerPort: 8080, protocol: 'TCP' }],
  };
  const namespaces = s.namespaces.includes(namespace) ? s.namespaces : [...s.namespaces, namespace];
  return finish({ ...s, namespaces, pods: [...s.pods, pod] });
}

/** A moved pod is a new pod, as in Kubernetes: it gets an address from its new node's podCIDR. */
export function movePod(s: Scenario, podKey: string, nodeName: string): Result<Scenario> {
  const pod = findPod(s, podKey);
  if (!pod) return notFound('pod', podKey);
  if (!s.nodes.some((n) => n.name === nodeName)) return issue(`Pod/${podKey}`, 'spec.nodeName', `there is no node named ${nodeName}`);
  if (pod.nodeName === nodeName) return finish(s);
  const moved: PodSpec = { ...pod, nodeName, podIP: undefined };
  const pods = s.pods.map((p) => (p === pod ? moved : p));
  return finish({ ...s, pods, nodes: keepBridges(s, pods) });
}

/**
 * The bridge plugin never deletes cni0: a node whose last pod has just gone keeps it
 * (recorded on the node, so the engine and the lab still build it). A CNI without a bridge has nothing to keep.
 */
function keepBridges(s: Scenario, pods: PodSpec[]): NodeSpec[] {
  if (cniOf(s.cluster).bridge === undefined) return s.nodes;
  const before = new Set(s.pods.map((p) => p.nodeName));
  const after = new Set(pods.map((p) => p.nodeName));
  return s.nodes.map((n) => (before.has(n.name) && !after.has(n.name) && !n.cni0Created ? { ...n, cni0Created: true } : n));
}

export function setPodPorts(s: Scenario, podKey: string, ports: ContainerPort[]): Result<Scenario> {
  const pod = findPod(s, podKey);
  if (!pod) return notFound('pod', podKey);
  const doc = `Pod/${podKey}`;
  const seen = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const bad =
      checkPort(doc, `spec.containers[0].ports[${i}].containerPort`, p.containerPort) ??
      (p.hostPort !== undefined ? checkPort(doc, `spec.containers[0].ports[${i}].hostPort`, p.hostPort) : undefined);
    if (bad) return fail([bad]);
    const badName = p.name ? portNameProblem(p.name) : undefined;
    if (badName) return issue(doc, `spec.containers[0].ports[${i}].name`, badName);
    const id = `${p.containerPort}/${p.protocol}`;
    if (seen.has(id)) return issue(doc, `spec.containers[0].ports[${i}].containerPort`, `port ${id} is listed twice`);
    seen.add(id);
  }
  return finish({ ...s, pods: s.pods.map((p) => (p === pod ? { ...p, ports: ports.map((x) => ({ ...x })) } : p)) });
}

// ---- services ------------------------------------------------------------------

export interface NewService {
  name?: string;
  namespace?: string;
  type?: ServiceType;
  selector?: Record<string, string>;
  ports?: ServicePort[];
}

export function addService(s: Scenario, opts: NewService = {}): Result<Scenario> {
  const namespace = opts.namespace ?? 'default';
  const name = opts.name ?? nextName('svc', s.services.filter((v) => v.namespace === namespace).map((v) => v.name));
  const key = `${namespace}/${name}`;
  const bad = checkName('service', key, name, namespace);
  if (bad) return fail([bad]);
  if (findService(s, key)) return issue(`Service/${key}`, 'metadata.name', `a Service named ${key} already exists`);
  const svc: ServiceSpec = {
    namespace,
    name,
    type: opts.type ?? 'ClusterIP',
    selector: opts.selector ?? {},
    ports: opts.ports ?? [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
  };
  const namespaces = s.namespaces.includes(namespace) ? s.namespaces : [...s.namespaces, namespace];
  return finish({ ...s, namespaces, services: [...s.services, svc] });
}

export function setSelector(s: Scenario, svcKey: string, selector: Record<string, string>): Result<Scenario> {
  const svc = findService(s, svcKey);
  if (!svc) return notFound('service', svcKey);
  const bad = checkLabels(`Service/${svcKey}`, 'spec.selector', selector);
  if (bad) return fail([bad]);
  return finish({ ...s, services: s.services.map((v) => (v === svc ? { ...v, selector: { ...selector } } : v)) });
}

export function setServiceType(s: Scenario, svcKey: string, type: ServiceType): Result<Scenario> {
  const svc = findService(s, svcKey);
  if (!svc) return notFound('service', svcKey);
  // A ClusterIP Service has no nodePort; a new NodePort Service gets one from IPAM.
  const ports = svc.ports.map((p) => (type === 'ClusterIP' ? { ...p, nodePort: undefined } : { ...p }));
  const changed: ServiceSpec = { ...svc, type, ports };
  // The API server drops externalTrafficPolicy from a Service that takes no traffic from outside.
  if (type === 'ClusterIP') delete changed.externalTrafficPolicy;
  return finish({ ...s, services: s.services.map((v) => (v === svc ? changed : v)) });
}

/**
 * spec.externalTrafficPolicy or spec.internalTrafficPolicy: Cluster (the default, left
 * unset) or Local. externalTrafficPolicy needs a NodePort Service, as the API server says.
 */
export function setTrafficPolicy(s: Scenario, svcKey: string, which: 'external' | 'internal', policy: 'Cluster' | 'Local'): Result<Scenario> {
  const svc = findService(s, svcKey);
  if (!svc) return notFound('service', svcKey);
  if (which === 'external' && policy === 'Local' && svc.type !== 'NodePort') return issue(`Service/${svcKey}`, 'spec.externalTrafficPolicy', `may only be set when type is NodePort or LoadBalancer, and this Service is type ${svc.type}`);
  const changed: ServiceSpec = { ...svc };
  const field = which === 'external' ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
  if (policy === 'Local') changed[field] = 'Local';
  else delete changed[field];
  return finish({ ...s, services: s.services.map((v) => (v === svc ? changed : v)) });
}

export function setServicePorts(s: Scenario, svcKey: string, ports: ServicePort[]): Result<Scenario> {
  const svc = findService(s, svcKey);
  if (!svc) return notFound('service', svcKey);
  const doc = `Service/${svcKey}`;
  if (ports.length === 0) return issue(doc, 'spec.ports', 'a Service needs at least one port');
  const seen = new Set<string>();
  for (const [i, p] of ports.entries()) {
    const bad =
      checkPort(doc, `spec.ports[${i}].port`, p.port) ??
      (typeof p.targetPort === 'number' ? checkPort(doc, `spec.ports[${i}].targetPort`, p.targetPort) : undefined) ??
      (p.nodePort !== undefined ? checkPort(doc, `spec.ports[${i}].nodePort`, p.nodePort, 30000, 32767) : undefined);
    if (bad) return fail([bad]);
    const badTarget = typeof p.targetPort === 'string' ? portNameProblem(p.targetPort) : undefined;
    if (badTarget) return issue(doc, `spec.ports[${i}].targetPort`, badTarget);
    const id = `${p.port}/${p.protocol}`;
    if (seen.has(id)) return issue(doc, `spec.ports[${i}].port`, `port ${id} is listed twice`);
    seen.add(id);
  }
  const named = servicePortNamesProblem(ports);
  if (named) return issue(doc, named.index === undefined ? 'spec.ports' : `spec.ports[${named.index}].name`, named.reason);
  const clean = ports.map((p) => (svc.type === 'ClusterIP' ? { ...p, nodePort: undefined } : { ...p }));
  return finish({ ...s, services: s.services.map((v) => (v === svc ? { ...v, ports: clean } : v)) });
}

// ---- any element ---------------------------------------------------------------

export function setLabels(s: Scenario, kind: 'node' | 'pod', key: string, labels: Record<string, string>): Result<Scenario> {
  const bad = checkLabels(docName(kind, key), 'metadata.labels', labels);
  if (bad) return fail([bad]);
  if (kind === 'node') {
    if (!s.nodes.some((n) => n.name === key)) return notFound('node', key);
    return finish({ ...s, nodes: s.nodes.map((n) => (n.name === key ? { ...n, labels: { ...labels } } : n)) });
  }
  const pod = findPod(s, key);
  if (!pod) return notFound('pod', key);
  return finish({ ...s, pods: s.pods.map((p) => (p === pod ? { ...p, labels: { ...labels } } : p)) });
}

/** Rename keeps every address; renaming a node carries its pods' spec.nodeName along. */
export function rename(s: Scenario, kind: ElementKind, key: string, newName: string): Result<Scenario> {
  if (kind === 'node') {
    const node = s.nodes.find((n) => n.name === key);
    if (!node) return notFound('node', key);
    if (newName === key) return finish(s);
    const bad = checkName('node', key, newName);
    if (bad) return fail([bad]);
    if (s.nodes.some((n) => n.name === newName)) return issue(`Node/${key}`, 'metadata.name', `a node named ${newName} already exists`);
    const labels = node.labels['kubernetes.io/hostname'] === key ? { ...node.labels, 'kubernetes.io/hostname': newName } : node.labels;
    return finish({
      ...s,
      nodes: s.nodes.map((n) => (n === node ? { ...n, name: newName, labels } : n)),
      pods: s.pods.map((p) => (p.nodeName === key ? { ...p, nodeName: newName } : p)),
    });
  }
  const list: { namespace: string; name: string }[] = kind === 'pod' ? s.pods : s.services;
  const el = list.find((x) => objectKey(x) === key);
  if (!el) return notFound(kind, key);
  if (newName === el.name) return finish(s);
  const bad = checkName(kind, key, newName);
  if (bad) return fail([bad]);
  if (list.some((x) => x.namespace === el.namespace && x.name === newName)) {
    return issue(docName(kind, key), 'metadata.name', `a ${kind === 'pod' ? 'pod' : 'Service'} named ${el.namespace}/${newName} already exists`);
  }
  if (kind === 'pod') return finish({ ...s, pods: s.pods.map((p) => (p === el ? { ...p, name: newName } : p)) });
  return finish({ ...s, services: s.services.map((v) => (v === el ? { ...v, name: newName } : v)) });
}

/** Delete an element. Deleting a node deletes the pods on it (they have nowhere to run). */
export function remove(s: Scenario, kind: ElementKind, key: string): Result<Scenario> {
  if (kind === 'node') {
    if (!s.nodes.some((n) => n.name === key)) return notFound('node', key);
    return finish({ ...s, nodes: s.nodes.filter((n) => n.name !== key), pods: s.pods.filter((p) => p.nodeName !== key) });
  }
  if (kind === 'pod') {
    if (!findPod(s, key)) return notFound('pod', key);
    const isPod = isObject(key);
    const pods = s.pods.filter((p) => !isPod(p));
    return finish({ ...s, pods, nodes: keepBridges(s, pods) });
  }
  if (!findService(s, key)) return notFound('service', key);
  return finish({ ...s, services: s.services.filter((v) => objectKey(v) !== key) });
}

// ---- a Service and the pods it selects -------------------------------------------
//
// A Service's selector is a set of labels a pod must all carry (Kubernetes has no
// "or"). Connecting a Service to one more pod therefore never replaces the selector
// (that would drop the pods it selected): either the pod is given the labels the
// selector asks for, or the selector is narrowed to the labels the pods share.

/** Labels Kubernetes' controllers add to their pods, which a Service does not select by. */
const CONTROLLER_LABELS: ReadonlySet<string> = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'pod-template-generation']);

/** What connecting a Service to a pod means, as the engine sees it. */
export type ServicePodLink =
  /** The Service selects nothing yet: it takes the pod's own labels as its selector. */
  | { kind: 'first-pod'; selector: Record<string, string> }
  | { kind: 'already-selected' }
  /** The pod is not selected: a person chooses how (see labelPodForService, widenSelector). */
  | {
      kind: 'choose';
      /** The labels the pod would carry, and those of its labels they overwrite. */
      labelPod: { labels: Record<string, string>; overwrites: Record<string, string> };
      /** The labels every selected pod and this one share, and every pod (namespace/name) that selector would select; null: they share none. */
      widen: { selector: Record<string, string>; selects: string[] } | null;
    };

function podsSelected(s: Scenario, svc: ServiceSpec): PodSpec[] {
  return s.pods.filter((p) => p.namespace === svc.namespace && selectorMatches(svc.selector, p.labels));
}

/** The label pairs every one of these pods carries (controller labels aside). */
function sharedLabels(pods: PodSpec[]): Record<string, string> {
  const [first, ...rest] = pods;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first?.labels ?? {})) if (!CONTROLLER_LABELS.has(k) && rest.every((p) => p.labels[k] === v)) out[k] = v;
  return out;
}

function linkEnds(s: Scenario, svcKey: string, podKey: string): Result<{ svc: ServiceSpec; pod: PodSpec }> {
  const svc = findService(s, svcKey);
  if (!svc) return fail([{ document: docName('service', svcKey), field: 'metadata.name', reason: `there is no service named ${svcKey}` }]);
  const pod = findPod(s, podKey);
  if (!pod) return fail([{ document: docName('pod', podKey), field: 'metadata.name', reason: `there is no pod named ${podKey}` }]);
  // A Service selects pods in its own namespace only.
  if (pod.namespace !== svc.namespace) return fail([{ document: `Service/${svcKey}`, field: 'spec.selector', reason: `a Service selects pods in its own namespace (${svc.namespace}); pod ${podKey} is in ${pod.namespace}` }]);
  return ok({ svc, pod });
}

/** What connecting Service `svcKey` to pod `podKey` would do, before anything changes. */
export function serviceToPod(s: Scenario, svcKey: string, podKey: string): Result<ServicePodLink> {
  const ends = linkEnds(s, svcKey, podKey);
  if (!ends.ok) return ends;
  const { svc, pod } = ends.value;
  if (Object.keys(svc.selector).length === 0) {
    const selector = Object.fromEntries(Object.entries(pod.labels).filter(([k]) => !CONTROLLER_LABELS.has(k)));
    if (Object.keys(selector).length === 0) return fail([{ document: `Pod/${podKey}`, field: 'metadata.labels', reason: `pod ${pod.name} has no label a Service could select it by: give it one (e.g. app=${pod.name})` }]);
    return ok({ kind: 'first-pod', selector });
  }
  if (selectorMatches(svc.selector, pod.labels)) return ok({ kind: 'already-selected' });
  const overwrites = Object.fromEntries(Object.entries(pod.labels).filter(([k, v]) => k in svc.selector && svc.selector[k] !== v));
  const selected = podsSelected(s, svc);
  const shared = sharedLabels([...selected, pod]);
  const widen = Object.keys(shared).length
    ? { selector: shared, selects: s.pods.filter((p) => p.namespace === svc.namespace && selectorMatches(shared, p.labels)).map(objectKey) }
    : null;
  return ok({ kind: 'choose', labelPod: { labels: { ...pod.labels, ...svc.selector }, overwrites }, widen });
}

/** Give the pod the labels the Service's selector asks for (overwriting those keys): the Service then selects it too. */
export function labelPodForService(s: Scenario, svcKey: string, podKey: string): Result<Scenario> {
  const link = serviceToPod(s, svcKey, podKey);
  if (!link.ok) return link;
  if (link.value.kind === 'first-pod') return issue(`Service/${svcKey}`, 'spec.selector', 'the Service has no selector yet: there are no labels to give the pod');
  if (link.value.kind === 'already-selected') return finish(s);
  return setLabels(s, 'pod', podKey, link.value.labelPod.labels);
}

/** Select by the labels the selected pods and this one share: the Service then selects them all (and any other pod with those labels). */
export function widenSelector(s: Scenario, svcKey: string, podKey: string): Result<Scenario> {
  const link = serviceToPod(s, svcKey, podKey);
  if (!link.ok) return link;
  if (link.value.kind === 'first-pod') return setSelector(s, svcKey, link.value.selector);
  if (link.value.kind === 'already-selected') return finish(s);
  if (!link.value.widen) return issue(`Service/${svcKey}`, 'spec.selector', `pod ${podKey} shares no label with the pods the Service selects: give it their label instead`);
  return setSelector(s, svcKey, link.value.widen.selector);
}

// ---- Deployments ---------------------------------------------------------------------
//
// podpath holds pods, not templates: a Deployment is the pods that carry its owner
// reference (see lesson/workload.ts for scaling). A new one is made as a file's would
// be (scenario/workloads.ts): pods named by its ReplicaSet, NAME-<pod-template-hash>-<5
// chars>, without a node, so that the scheduler rule places them and IPAM gives addresses.

export interface NewDeployment {
  name?: string;
  namespace?: string;
  replicas?: number;
  ports?: ContainerPort[];
}

/** The Deployments in the cluster, by `namespace/name`, from their pods' owner references. */
export function deploymentsOf(s: Scenario): string[] {
  return [...new Set(s.pods.filter((p) => p.ownerKind === 'Deployment' && p.ownerName).map((p) => `${p.namespace}/${p.ownerName}`))];
}

export function addDeployment(s: Scenario, opts: NewDeployment = {}): Result<Scenario> {
  const namespace = opts.namespace ?? 'default';
  const name = opts.name ?? nextName('deploy', deploymentsOf(s).filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1)));
  const doc = `Deployment/${namespace}/${name}`;
  const bad = nameProblem('Deployment', name) ?? nameProblem('Namespace', namespace);
  if (bad) return issue(doc, 'metadata.name', bad);
  if (deploymentsOf(s).includes(`${namespace}/${name}`)) return issue(doc, 'metadata.name', `a Deployment named ${namespace}/${name} already exists`);
  const replicas = opts.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) return issue(doc, 'spec.replicas', `${replicas} is not a number of pods podpath can make (1 or more)`);
  if (s.nodes.length === 0) return issue(doc, 'spec.replicas', 'there is no node to run its pods on: add a node first');
  const labels = { app: name };
  const ports = opts.ports ?? [{ containerPort: 8080, protocol: 'TCP' as const }];
  const made = expandWorkload({ kind: 'Deployment', namespace, name, replicas, labels, ports, template: { metadata: { labels }, spec: { containers: [{ name: 'app', ports }] } } }, s.nodes);
  const taken = new Set(s.pods.filter((p) => p.namespace === namespace).map((p) => p.name));
  const clash = made.find((p) => taken.has(p.name));
  if (clash) return issue(doc, 'metadata.name', `its ReplicaSet would name a pod ${clash.name}, and a pod of that name already exists`);
  const namespaces = s.namespaces.includes(namespace) ? s.namespaces : [...s.namespaces, namespace];
  return finish({ ...s, namespaces, pods: [...s.pods, ...made] });
}

// ---- NetworkPolicy ---------------------------------------------------------------

const POLICY_EDITOR = 'NetworkPolicy YAML';

/**
 * The cluster's NetworkPolicies replaced by those a YAML text holds: NetworkPolicy
 * documents only, read and validated as an imported file is (the same parser), so
 * the editor can hold nothing an import would refuse. An empty text removes them all.
 */
export function setNetworkPolicies(s: Scenario, text: string): Result<Scenario> {
  const kinds: string[] = [];
  let documents = 0;
  for (const d of parseAllDocuments(text)) {
    let js: unknown;
    try {
      js = d.errors.length ? {} : d.toJS({ maxAliasCount: 100 });
    } catch {
      // What the YAML library cannot turn into a value, the parser below refuses with its reason.
      js = {};
    }
    if (js === null || js === undefined) continue;
    documents++;
    if (typeof js === 'object' && !Array.isArray(js) && Object.keys(js as object).length === 0) continue;
    const kind = typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>).kind : undefined;
    if (kind !== 'NetworkPolicy') kinds.push(typeof kind === 'string' ? kind : '(no kind)');
  }
  if (kinds.length) return issue(POLICY_EDITOR, 'kind', `only NetworkPolicy documents belong here; this text also holds ${kinds.join(', ')}`);
  if (documents === 0) {
    // Nothing (or only comments) left in the editor: no policy.
    const { networkPolicies: _gone, ...rest } = s;
    return finish(rest);
  }
  const parsed = parseScenario(text, POLICY_EDITOR, { defaultNodes: false });
  if (!parsed.ok) return fail(parsed.issues);
  const policies = parsed.value.networkPolicies ?? [];
  const namespaces = [...s.namespaces, ...policies.map((p) => p.namespace).filter((n, i, all) => !s.namespaces.includes(n) && all.indexOf(n) === i)];
  const next: Scenario = { ...s, namespaces };
  if (policies.length) next.networkPolicies = policies;
  else delete next.networkPolicies;
  return finish(next);
}

/** A default-deny-ingress policy in a namespace (every pod of it isolated for ingress, nothing allowed): what most clusters start from. */
export function addDenyIngress(s: Scenario, namespace: string): Result<Scenario> {
  const taken = (s.networkPolicies ?? []).filter((p) => p.namespace === namespace).map((p) => p.name);
  const name = taken.includes('default-deny-ingress') ? nextName('default-deny-ingress', taken) : 'default-deny-ingress';
  const policy: NetworkPolicy = { namespace, name, podSelector: { matchLabels: {}, matchExpressions: [] }, policyTypes: ['Ingress'], policyTypesGiven: true, ingress: [], egress: [] };
  return finish({ ...s, networkPolicies: [...(s.networkPolicies ?? []), policy] });
}
