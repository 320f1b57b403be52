// A dump of a live cluster imported as it is: a Deployment's pods are its pods (no
// phantoms), a Pending or not-Ready pod is shown plainly, and all of it survives a reload.
import { test, expect, saved, shot } from './fixtures.ts';

const DUMP = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: c}
spec: {podCIDR: 10.42.0.0/16, serviceCIDR: 10.43.0.0/16, nodeNetwork: 192.168.1.0/24, cni: flannel-vxlan}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: k3s-server}
  spec: {podCIDR: 10.42.0.0/24}
  status: {addresses: [{type: InternalIP, address: 192.168.1.10}]}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: default, uid: d1}
  spec:
    replicas: 3
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata: {name: web-6f7d8, namespace: default, uid: r1, ownerReferences: [{kind: Deployment, name: web, uid: d1, controller: true}]}
  spec:
    replicas: 3
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-6f7d8-aaaaa, namespace: default, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-6f7d8, uid: r1, controller: true}]}
  spec: {nodeName: k3s-server, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Running, podIP: 10.42.0.5, conditions: [{type: Ready, status: "True"}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-6f7d8-bbbbb, namespace: default, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-6f7d8, uid: r1, controller: true}]}
  spec: {nodeName: k3s-server, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Running, podIP: 10.42.0.6, conditions: [{type: Ready, status: "False"}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: web-6f7d8-ccccc, namespace: default, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-6f7d8, uid: r1, controller: true}]}
  spec: {nodeName: k3s-server, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Pending, conditions: [{type: Ready, status: "False"}]}
- apiVersion: v1
  kind: Service
  metadata: {name: kubernetes, namespace: default}
  spec: {clusterIP: 10.43.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata: {name: kubernetes, namespace: default, labels: {kubernetes.io/service-name: kubernetes}}
  addressType: IPv4
  endpoints: [{addresses: [192.168.1.10], conditions: {ready: true}}]
  ports: [{name: https, port: 6443, protocol: TCP}]
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: default}
  spec: {selector: {app: web}, clusterIP: 10.43.0.50, ports: [{port: 80, targetPort: 80}]}
`;

test('a dump imports as it is: no phantom pods, a Pending and a not-Ready pod shown plainly, kept over a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'k3s-dump.yaml', mimeType: 'application/yaml', buffer: Buffer.from(DUMP) });
  await expect(page.getByLabel('pod web-6f7d8-aaaaa 10.42.0.5', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-6f7d8-bbbbb 10.42.0.6 not Ready', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-6f7d8-ccccc Pending', { exact: true })).toBeVisible();
  // Three pods, the dump's own: the Deployment is not expanded again.
  await expect(page.getByLabel(/^pod /)).toHaveCount(3);

  await page.getByLabel('pod web-6f7d8-ccccc Pending', { exact: true }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector).toContainText('Pending: no address yet, so no Service sends to it');
  // Its terminal says why there is nothing to show, not that the netns is unknown.
  await expect(page.getByText('pod default/web-6f7d8-ccccc has no network namespace with an address to show: Pending: no address yet')).toBeVisible();
  // It cannot be a packet's end: its option is there, said, and disabled.
  await expect(page.getByRole('option', { name: 'web-6f7d8-ccccc (Pending)' }).first()).toBeDisabled();
  await shot(page, 'dump-1280-pending');

  await page.reload();
  await expect(page.getByLabel('pod web-6f7d8-bbbbb 10.42.0.6 not Ready', { exact: true })).toBeVisible();
  const st = await saved(page);
  expect(st.scenario.pods.map((p) => [p.name, p.phase, p.notReady ?? false, p.podIP ?? null, p.ownerKind, p.ownerName])).toEqual([
    ['web-6f7d8-aaaaa', 'Running', false, '10.42.0.5', 'Deployment', 'web'],
    ['web-6f7d8-bbbbb', 'Running', true, '10.42.0.6', 'Deployment', 'web'],
    ['web-6f7d8-ccccc', 'Pending', true, null, 'Deployment', 'web'],
  ]);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByLabel('pod web-6f7d8-bbbbb 10.42.0.6 not Ready', { exact: true }).click();
  await expect(inspector).toContainText('Running but not Ready');
  // default/kubernetes says where its endpoints come from, not "connect it to a pod".
  await expect(page.getByText("no selector · the file's endpoints 192.168.1.10:6443")).toBeVisible();
  await shot(page, 'dump-1920-notready');
});
