// A big cluster as `kubectl get nodes,pods,services -A -o json` prints it (a v1 List),
// for the big-cluster e2e spec and `npm run bench:ui`: generated, not committed
// (500 nodes × 30 pods is some 5 MB of JSON). Addresses are left to podpath's IPAM,
// as for any dump without them.
//
// Pods are named `web-<node>-<k>` (node and index from 1) so a test can name a pod
// on a given node; one Service per ten pod labels selects pods across every node.

/** @param {{ nodes?: number; podsPerNode?: number; services?: number }} [size] */
export function bigClusterJson({ nodes = 500, podsPerNode = 30, services = 10 } = {}) {
  const items = [
    {
      apiVersion: 'podpath.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'big' },
      spec: { podCIDR: '10.0.0.0/8', nodeCIDRMaskSize: 24, serviceCIDR: '172.16.0.0/16', nodeNetwork: '192.168.0.0/16', cni: 'flannel-vxlan', kubeProxy: 'iptables' },
    },
  ];
  for (let n = 1; n <= nodes; n++) items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}` } });
  for (let n = 1; n <= nodes; n++) {
    for (let k = 1; k <= podsPerNode; k++) {
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `web-${n}-${k}`, namespace: 'default', labels: { app: `app-${k % services}` } },
        spec: { nodeName: `node-${n}`, containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
      });
    }
  }
  for (let v = 0; v < services; v++) {
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${v}`, namespace: 'default' }, spec: { selector: { app: `app-${v}` }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
