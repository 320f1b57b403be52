// Writing a scenario back as multi-document YAML that re-imports to the same
// cluster: every stored address is written where Kubernetes keeps it
// (spec.podCIDR, status.addresses, status.podIP, spec.clusterIP, nodePort).
import { stringify } from 'yaml';
import type { PodSpec, Scenario, ServiceSpec } from '../model.ts';
import { CNI0_ANNOTATION, LAST_RESERVED_ANNOTATION, OWNER_ANNOTATION, PODPATH_API_VERSION } from './parse.ts';

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
    status: p.podIP ? { podIP: p.podIP } : undefined,
  };
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
      ports: v.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, nodePort: p.nodePort })),
    },
  };
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
        }),
      },
      spec: n.podCIDR ? { podCIDR: n.podCIDR } : undefined,
      status: n.internalIP ? { addresses: [{ type: 'InternalIP', address: n.internalIP }] } : undefined,
    })),
    ...s.pods.map(podDocument),
    ...s.services.map(serviceDocument),
  ];
}

export function writeScenario(s: Scenario): string {
  const docs = scenarioDocuments(s);
  const header = '# podpath scenario: standard Kubernetes objects plus one podpath.dev/v1alpha1 Cluster.\n';
  return header + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
