import { bridgeHostgw } from '../sim/cni/bridgeHostgw.ts';
import { DEFAULT_KUBE_PROXY } from '../sim/proxy/modes.ts';
// The cluster the page opens on: two nodes, three pods, one Service. The same
// cluster as public/scenarios/demo.yaml (a test keeps the two equal), kept here as
// data so the first view needs no YAML parser.
import type { Scenario } from '../sim/model.ts';

export const DEMO: Scenario = {
  cluster: {
    podCIDR: '10.244.0.0/16',
    nodeCIDRMaskSize: 24,
    serviceCIDR: '10.96.0.0/12',
    nodeNetwork: '192.168.56.0/24',
    cni: bridgeHostgw.mode,
    kubeProxy: DEFAULT_KUBE_PROXY,
  },
  namespaces: ['default'],
  nodes: [
    { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } },
  ],
  pods: [
    { namespace: 'default', name: 'client', labels: { app: 'client' }, nodeName: 'node-1', ports: [] },
    { namespace: 'default', name: 'web-1', labels: { app: 'web' }, nodeName: 'node-1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
    { namespace: 'default', name: 'web-2', labels: { app: 'web' }, nodeName: 'node-2', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
  ],
  services: [
    { namespace: 'default', name: 'web', type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  ],
};
