// Writing a scenario back as multi-document YAML that re-imports to the same
// cluster: every stored address is written where Kubernetes keeps it
// (spec.podCIDR, status.addresses, status.podIP, spec.clusterIP, nodePort).
import { stringify } from 'yaml';
import type { GivenEndpoint, PodSpec, Scenario, ServiceSpec } from '../model.ts';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyRule } from '../policy/types.ts';
import { CALICO_BLOCKS_ANNOTATION, CNI0_ANNOTATION, LAST_RESERVED_ANNOTATION, OWNER_ANNOTATION, PODPATH_API_VERSION } from './parse.ts';
import { containerStatusesOf, PROBE_PORTS_ANNOTATION } from './probes.ts';
import { HOST_PROCESSES_ANNOTATION, hostProcessesAnnotation } from './hostProcesses.ts';

const nonEmpty = <T extends object>(o: T) => (Object.keys(o).length ? o : undefined);

function podDocument(p: PodSpec) {
  const annotations = nonEmpty({
    ...(p.ownerKind && p.ownerName ? { [OWNER_ANNOTATION]: `${p.ownerKind}/${p.ownerName}` } : {}),
    ...(p.probePorts?.length ? { [PROBE_PORTS_ANNOTATION]: p.probePorts.join(',') } : {}),
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, labels: nonEmpty(p.labels), annotations },
    spec: {
      nodeName: p.nodeName,
      containers: podContainers(p),
    },
    status: podStatus(p),
  };
}

const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const portDocument = (x: PodSpec['ports'][number]) => ({ name: x.name, containerPort: x.containerPort, protocol: x.protocol, hostPort: x.hostPort });

/**
 * One container for what runs, and one per container a dump showed down with the
 * ports it declares and probes, so that a save keeps which ports are closed.
 */
function podContainers(p: PodSpec) {
  const down = p.containersDown ?? [];
  const ofDown = (x: PodSpec['ports'][number]) => down.some((d) => d.ports.some((q) => q.port === x.containerPort && q.protocol === x.protocol && !q.probed));
  const running = p.ports.filter((x) => !ofDown(x));
  const probeKinds = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
  return [
    ...(p.noContainerRunning ? [] : [{ name: 'app', image: IMAGE, ports: running.length ? running.map(portDocument) : undefined }]),
    ...down.map((d) => {
      const declared = p.ports.filter((x) => d.ports.some((q) => q.port === x.containerPort && q.protocol === x.protocol && !q.probed));
      const probed = d.ports.filter((q) => q.probed).slice(0, probeKinds.length);
      return {
        name: d.container,
        image: IMAGE,
        ports: declared.length ? declared.map(portDocument) : undefined,
        ...Object.fromEntries(probed.map((q, i) => [probeKinds[i], { tcpSocket: { port: q.port } }])),
      };
    }),
  ];
}

/** Where the pod's address, phase and readiness are kept in Kubernetes (absent: a Running, Ready pod podpath started). */
function podStatus(p: PodSpec) {
  return nonEmpty({
    ...(p.phase ? { phase: p.phase } : {}),
    ...(p.notReady ? { conditions: [{ type: 'Ready', status: 'False' }] } : {}),
    ...(p.podIP ? { podIP: p.podIP } : {}),
    ...(p.containersDown?.length ? { containerStatuses: containerStatusesOf(p.containersDown) } : {}),
  });
}

function serviceDocument(v: ServiceSpec) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: v.name, namespace: v.namespace },
    spec: {
      type: v.type,
      selector: nonEmpty(v.selector),
      clusterIP: v.clusterIP,
      publishNotReadyAddresses: v.publishNotReadyAddresses,
      externalTrafficPolicy: v.externalTrafficPolicy,
      internalTrafficPolicy: v.internalTrafficPolicy,
      ports: v.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, nodePort: p.nodePort })),
    },
  };
}

/**
 * A Service's given endpoints (a Service without a selector) as EndpointSlices: one
 * per port, since a slice's ports apply to every endpoint in it.
 */
function endpointSliceDocuments(v: ServiceSpec) {
  const byPort = new Map<string, GivenEndpoint[]>();
  // Given a selector (an edit), the EndpointSlice controller computes its endpoints: the given ones are gone.
  if (Object.keys(v.selector).length > 0) return [];
  for (const e of v.givenEndpoints ?? []) {
    const key = `${e.portName}/${e.port}/${e.protocol}`;
    const had = byPort.get(key);
    if (had) had.push(e);
    else byPort.set(key, [e]);
  }
  return [...byPort.values()].map((endpoints, i) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${v.name}-${i + 1}`, namespace: v.namespace, labels: { 'kubernetes.io/service-name': v.name } },
    addressType: 'IPv4',
    ports: [{ name: endpoints[0].portName, port: endpoints[0].port, protocol: endpoints[0].protocol }],
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready } })),
  }));
}

/** A NetworkPolicy as kubectl would show it (policyTypes only where the input wrote them: the API server defaults them the same way again). */
export function networkPolicyDocument(p: NetworkPolicy) {
  const selector = (sel: LabelSelector) => ({ ...(Object.keys(sel.matchLabels).length ? { matchLabels: sel.matchLabels } : {}), ...(sel.matchExpressions.length ? { matchExpressions: sel.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values.length ? { values: e.values } : {}) })) } : {}) });
  const peer = (x: PolicyPeer) => ({
    ...(x.podSelector ? { podSelector: selector(x.podSelector) } : {}),
    ...(x.namespaceSelector ? { namespaceSelector: selector(x.namespaceSelector) } : {}),
    ...(x.ipBlock ? { ipBlock: { cidr: x.ipBlock.cidr, ...(x.ipBlock.except.length ? { except: x.ipBlock.except } : {}) } } : {}),
  });
  const rule = (r: PolicyRule, peers: 'from' | 'to') => ({
    ...(r.peers ? { [peers]: r.peers.map(peer) } : {}),
    ...(r.ports ? { ports: r.ports.map((x) => ({ protocol: x.protocol, ...(x.port !== undefined ? { port: x.port } : {}), ...(x.endPort !== undefined ? { endPort: x.endPort } : {}) })) } : {}),
  });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: p.name, namespace: p.namespace },
    spec: {
      podSelector: selector(p.podSelector),
      ...(p.policyTypesGiven ? { policyTypes: p.policyTypes } : {}),
      ...(p.ingress.length ? { ingress: p.ingress.map((r) => rule(r, 'from')) } : {}),
      ...(p.egress.length ? { egress: p.egress.map((r) => rule(r, 'to')) } : {}),
    },
  };
}

/** The scenario as the Kubernetes documents a file holds (before YAML): the playground saves these as JSON. */
export function scenarioDocuments(s: Scenario): Record<string, unknown>[] {
  return [
    { apiVersion: PODPATH_API_VERSION, kind: 'Cluster', metadata: { name: 'cluster' }, spec: { ...s.cluster } },
    ...s.namespaces
      .filter((n) => n !== 'default' || s.namespaceLabels?.[n])
      .map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: nonEmpty(s.namespaceLabels?.[name] ?? {}) } })),
    ...s.nodes.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: nonEmpty(n.labels),
        annotations: nonEmpty({
          ...(n.lastReservedIP ? { [LAST_RESERVED_ANNOTATION]: n.lastReservedIP } : {}),
          ...(n.cni0Created ? { [CNI0_ANNOTATION]: 'true' } : {}),
          ...(n.calicoBlocks?.length ? { [CALICO_BLOCKS_ANNOTATION]: n.calicoBlocks.join(',') } : {}),
          ...(n.hostProcesses?.length ? { [HOST_PROCESSES_ANNOTATION]: hostProcessesAnnotation(n.hostProcesses) } : {}),
        }),
      },
      spec: n.podCIDR ? { podCIDR: n.podCIDR } : undefined,
      status: n.internalIP ? { addresses: [{ type: 'InternalIP', address: n.internalIP }] } : undefined,
    })),
    ...s.pods.map(podDocument),
    ...s.services.map(serviceDocument),
    ...s.services.flatMap(endpointSliceDocuments),
    ...(s.networkPolicies ?? []).map(networkPolicyDocument),
  ];
}

/** The cluster's NetworkPolicies as YAML documents (the playground's policy editor), '' when it has none. */
export function networkPoliciesYaml(s: Scenario): string {
  return (s.networkPolicies ?? []).map((p) => stringify(networkPolicyDocument(p), { lineWidth: 0 })).join('---\n');
}

export function writeScenario(s: Scenario): string {
  const docs = scenarioDocuments(s);
  const header = '# podpath scenario: standard Kubernetes objects plus one podpath.dev/v1alpha1 Cluster.\n';
  return header + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
