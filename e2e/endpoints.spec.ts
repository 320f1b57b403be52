// The canvas draws a Service's endpoints by the engine's one rule: pods in the
// Service's namespace whose labels match, and (for a named targetPort) that have a
// port of that name. Checked against the engine's own endpointsOf, in Node.
import { expect, saved, shot, test } from './fixtures.ts';
import { endpointsOf, objectKey } from '../src/sim/index.ts';

const SCENARIO = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: named-ports}
spec: {podCIDR: 10.244.0.0/16, nodeCIDRMaskSize: 24, serviceCIDR: 10.96.0.0/12, nodeNetwork: 192.168.56.0/24, cni: bridge-hostgw, kubeProxy: iptables}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: default, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: default, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-3, namespace: default, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-4, namespace: shop, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;

test("a Service with a named targetPort: the canvas' endpoints are the engine's (not other namespaces, not pods without the port name)", async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'named-ports.yaml', mimeType: 'application/yaml', buffer: Buffer.from(SCENARIO) });
  const svc = page.getByLabel(/^service web 10\.96\.\d+\.\d+$/);
  await expect(svc).toBeVisible();
  await expect(page.getByLabel(/^pod web-4 /)).toBeVisible();

  const st = await saved(page);
  const service = st.scenario.services.find((v) => v.name === 'web')!;
  const engine = endpointsOf(st.scenario, service, service.ports[0]).map((e) => objectKey(e.pod!)).sort();
  expect(engine).toEqual(['default/web-1', 'default/web-3']);

  await expect(svc).toContainText(`selector app=web · ${engine.length} endpoints`);
  const edges = page.locator('.react-flow__edge-endpoint');
  await expect(edges).toHaveCount(engine.length);
  const drawn = (await edges.evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''))).sort();
  expect(drawn).toEqual(engine.map((k) => `ep:default/web:${k}`));
  await shot(page, 'endpoints-named-target-port');
});
