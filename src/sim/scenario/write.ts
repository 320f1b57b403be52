// Writing a scenario back as multi-document YAML that re-imports to the same
// cluster: every stored address is written where Kubernetes keeps it
// (spec.podCIDR, status.addresses, status.podIP, spec.clusterIP, nodePort).
import { stringify } from 'yaml';
import type { GivenEndpoint, PodSpec, Scenario, ServiceSpec } from '../model.ts';
import { CALICO_BLOCKS_ANNOTATION, CNI0_ANNOTATION, LAST_RESERVED_ANNOTATION, OWNER_ANNOTATION, PODPATH_API_VERSION } from './parse.ts';
import { HOST_PROCESSES_ANNOTATION, hostProcessesAnnotation } from './hostProcesses.ts';

const nonEmpty = <T extends object>(o: T) => (Object.keys(o).length ? o : undefined);

function podDocument(p: PodSpec) {
  const annotations = p.ownerKind && p.ownerName ? { [OWNER_ANNOTATION]: `${p.ownerKind}/${p.ownerName}` } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, labels: nonEmpty(p.labels), annotations },
    spec: {
      nodeName: p.nodeName,
      containers: [
        {
          name: 'app',
          image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
          ports: p.ports.length
            ? p.ports.map((x) => ({ name: x.name, containerPort: x.containerPort, protocol: x.protocol, hostPort: x.hostPort }))
            : undefined,
        },
      ],
    },
    status: podStatus(p),
  };
}

/** Where the pod's address, phase and readiness are kept in Kubernetes (absent: a Running, Ready pod podpath started). */
function podStatus(p: PodSpec) {
  return nonEmpty({
    ...(p.phase ? { phase: p.phase } : {}),
    ...(p.notReady ? { conditions: [{ type: 'Ready', status: 'False' }] } : {}),
    ...(p.podIP ? { podIP: p.podIP } : {}),
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

/** The scenario as the Kubernetes documents a file holds (before YAML): the playground saves these as JSON. */
export function scenarioDocuments(s: Scenario): Record<string, unknown>[] {
  return [
    { apiVersion: PODPATH_API_VERSION, kind: 'Cluster', metadata: { name: 'cluster' }, spec: { ...s.cluster } },
    ...s.namespaces.filter((n) => n !== 'default').map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
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
  ];
}

export function writeScenario(s: Scenario): string {
  const docs = scenarioDocuments(s);
  const header = '# podpath scenario: standard Kubernetes objects plus one podpath.dev/v1alpha1 Cluster.\n';
  return header + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
