// The playground as a person uses it: by role and accessible name, dragging from
// the palette, stepping through the packet's walk, and checking that what the page
// lists is exactly what the engine traced.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { currentHop, engineHops, engineTrace, expect, hopText, listedHops, packetAtRest, saved, shot, test, verdict, viewAtRest } from './fixtures.ts';

const hopsList = (page: Page) => page.getByRole('list', { name: 'Hops' });

test('opens on the demo cluster, ready to send a packet', async ({ page }) => {
  await page.goto('/');
  for (const name of ['Node', 'Pod', 'Service', 'Send packet', 'New', 'Import', 'Export', 'Undo', 'Redo']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByLabel('CNI', { exact: true })).toHaveValue('bridge-hostgw');
  await expect(page.getByLabel('kube-proxy', { exact: true })).toHaveValue('iptables');
  await expect(page.getByLabel(/^node node-1 192\.168\.56\.\d+$/)).toBeVisible();
  await expect(page.getByLabel(/^node node-2 192\.168\.56\.\d+$/)).toBeVisible();
  await expect(page.getByLabel('pod client 10.244.0.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-2 10.244.1.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel(/^service web 10\.96\.0\.\d+$/)).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Hint' })).toContainText('Press Send packet');
  await shot(page, '01-first-view');
});

test('builds a two-node cluster from New by dragging', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page.getByLabel(/^node node-/)).toHaveCount(0);
  const pane = page.locator('.react-flow__pane');
  await page.getByRole('button', { name: 'Node', exact: true }).dragTo(pane, { targetPosition: { x: 380, y: 260 } });
  const node1 = page.getByLabel(/^node node-1 192\.168\.56\.\d+$/);
  await expect(node1).toBeVisible();
  await viewAtRest(page); // the view re-frames the cluster
  // Dropped onto node-1, the second node goes beside it.
  await page.getByRole('button', { name: 'Node', exact: true }).dragTo(node1);
  const node2 = page.getByLabel(/^node node-2 192\.168\.56\.\d+$/);
  await expect(node2).toBeVisible();
  await viewAtRest(page);
  const b1 = (await node1.boundingBox())!;
  const b2 = (await node2.boundingBox())!;
  expect(b2.x).toBeGreaterThanOrEqual(b1.x + b1.width); // beside, not on top

  // Dropping a pod outside any node is refused with a hint; nothing is lost.
  await page.getByRole('button', { name: 'Pod', exact: true }).dragTo(pane, { targetPosition: { x: 12, y: 12 } });
  await expect(page.getByRole('status').filter({ hasText: 'Drop the pod onto a node' })).toBeVisible();
  await expect(page.getByLabel(/^pod /)).toHaveCount(0);

  await page.getByRole('button', { name: 'Pod', exact: true }).dragTo(page.getByLabel(/^node node-1 /));
  await page.getByRole('button', { name: 'Pod', exact: true }).dragTo(page.getByLabel(/^node node-1 /));
  await page.getByRole('button', { name: 'Pod', exact: true }).dragTo(page.getByLabel(/^node node-2 /));
  await expect(page.getByLabel('pod pod-1 10.244.0.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod pod-2 10.244.0.3', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod pod-3 10.244.1.2', { exact: true })).toBeVisible();
  // Each pod shows its eth0 and the host end of its veth pair into cni0.
  await expect(page.getByLabel('pod pod-1 10.244.0.2', { exact: true })).toContainText('eth0');
  await expect(page.getByLabel('pod pod-1 10.244.0.2', { exact: true })).toContainText(/veth[0-9a-f]{8}/);
  await expect(page.getByLabel('bridge cni0 on node-1', { exact: true })).toContainText('cni0');

  // A Service dragged in gets a ClusterIP.
  await page.getByRole('button', { name: 'Service', exact: true }).dragTo(pane, { targetPosition: { x: 120, y: 60 } });
  const svc = page.getByLabel(/^service svc-1 10\.96\.\d+\.\d+$/);
  await expect(svc).toBeVisible();
  await viewAtRest(page);
  // A Service is not on a node: it never covers one.
  const sb = (await svc.boundingBox())!;
  for (const node of [node1, node2]) {
    const nb = (await node.boundingBox())!;
    const apart = sb.x + sb.width <= nb.x || nb.x + nb.width <= sb.x || sb.y + sb.height <= nb.y || nb.y + nb.height <= sb.y;
    expect(apart).toBe(true);
  }
  // Connecting the Service to a pod: the Service selects that pod's labels, and an endpoint edge appears.
  await expect(page.locator('.react-flow__edge-endpoint')).toHaveCount(0);
  await svc.locator('.react-flow__handle').dragTo(page.getByLabel('pod pod-3 10.244.1.2', { exact: true }).locator('.react-flow__handle-top'));
  await expect(svc).toContainText('selector app=pod-3 · 1 endpoint');
  await expect(page.locator('.react-flow__edge-endpoint')).toHaveCount(1);
  expect((await saved(page)).scenario.services.find((v) => v.name === 'svc-1')!.selector).toEqual({ app: 'pod-3' });
  await shot(page, '02-built-by-dragging');

  // Same-host packet: pod-1 → pod-2, through cni0.
  await page.getByRole('button', { name: 'Send packet' }).click();
  await expect(hopsList(page).getByRole('listitem').first()).toBeVisible();
  let st = await saved(page);
  expect(st.request?.to).toMatchObject({ kind: 'pod', name: 'pod-2' });
  await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));
  await expect.poll(() => listedHops(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^node-1 · cni0\|bridge\|/)]));
  await expect.poll(() => currentHop(page)).toBe(0);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => currentHop(page)).toBe(2);
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect.poll(() => currentHop(page)).toBe(1);

  // Cross-host packet: pod-1 → pod-3 on node-2.
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/pod-3');
  st = await saved(page);
  const hops = engineHops(st.scenario, st.request!);
  await expect.poll(() => listedHops(page)).toEqual(hops.map(hopText));
  expect(hops.some((h) => h.netns === 'node-2')).toBe(true);
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => currentHop(page)).toBe(6);
  await shot(page, '03-cross-host-step');
});

test('the hop list is the engine trace; flannel-vxlan adds flannel.1 and the outer header', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  let st = await saved(page);
  await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));
  await expect(page.getByLabel(/^VXLAN device /)).toHaveCount(0);

  await page.getByLabel('CNI', { exact: true }).selectOption('flannel-vxlan');
  await expect(page.getByLabel('VXLAN device flannel.1 on node-1', { exact: true })).toContainText('flannel.1');
  st = await saved(page);
  expect(st.scenario.cluster.cni).toBe('flannel-vxlan');
  const hops = engineHops(st.scenario, st.request!);
  await expect.poll(() => listedHops(page)).toEqual(hops.map(hopText));
  const wrapped = hops.findIndex((h) => h.device === 'flannel.1' && h.packet.outer);
  expect(wrapped).toBeGreaterThan(0);
  await hopsList(page).getByRole('listitem').nth(wrapped).click();
  await expect.poll(() => currentHop(page)).toBe(wrapped);
  const headers = page.getByLabel('Packet headers');
  await expect(headers).toContainText('Outer (VXLAN) header');
  await expect(headers).toContainText(hops[wrapped].packet.outer!.src);
  await expect(headers).toContainText(hops[wrapped].packet.outer!.dst);
  await expect(headers).toContainText('UDP 8472');
  await expect(page.getByTestId('packet')).toContainText('VXLAN');
  await shot(page, '04-flannel-vxlan-outer-header');
});

test('a Service trace shows the DNAT', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect(page.getByLabel('Port', { exact: true })).toHaveValue('80');
  const st = await saved(page);
  const hops = engineHops(st.scenario, st.request!);
  await expect.poll(() => listedHops(page)).toEqual(hops.map(hopText));
  const dnat = hops.findIndex((h) => h.action === 'dnat');
  expect(dnat).toBeGreaterThan(0);
  const clusterIP = st.scenario.services[0].clusterIP!;
  await hopsList(page).getByRole('listitem').nth(dnat).click();
  const headers = page.getByLabel('Packet headers');
  await expect(headers).toContainText(`was ${clusterIP}:80`);
  await expect(headers).toContainText(hops[dnat].packet.dst.split(':')[0]);
  // The verdict waits for the end of the walk.
  await expect(verdict(page)).toHaveCount(0);
  await hopsList(page).getByRole('listitem').nth(hops.length - 1).click();
  await expect(verdict(page)).toContainText('delivered');
  // The way back: the reply leg through conntrack, appended to the list.
  await page.getByRole('checkbox', { name: 'reply' }).check();
  const withReply = hops.length + engineTrace(st.scenario, st.request!).reply.length;
  await expect(hopsList(page).getByRole('listitem')).toHaveCount(withReply);
  await expect(hopsList(page).getByRole('listitem').filter({ hasText: 'undo-nat' }).first()).toBeVisible();
  await expect(hopsList(page).getByRole('listitem').last()).toContainText(`reply from ${clusterIP}:80`);
  await page.getByRole('checkbox', { name: 'reply' }).uncheck();
  await expect(hopsList(page).getByRole('listitem')).toHaveCount(hops.length);
  // The node's iptables, with the rule the DNAT hop used highlighted.
  await hopsList(page).getByRole('listitem').nth(dnat).click();
  await page.getByLabel(new RegExp(`^node ${hops[dnat].netns} `)).click();
  await expect(page.getByLabel(`netns ${hops[dnat].netns}`)).toContainText('KUBE-SERVICES');
  expect(hops[dnat].matched).toMatch(/-j DNAT --to-destination/);
  await expect(page.getByLabel(`netns ${hops[dnat].netns}`).locator('[data-matched]').first()).toHaveText(hops[dnat].matched!.trim());
  await shot(page, '05-service-dnat');
});

test('a broken file is refused and the cluster kept; the cluster survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('kind: Pod\nmetadata: [\n') });
  const alert = page.getByRole('alert');
  // Named once, with where it breaks.
  await expect(alert.getByText(/^broken\.yaml: /)).toHaveText(/^broken\.yaml: YAML does not parse: [^]*\(line 3, column 1\)$/);
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await shot(page, '06-broken-import');

  await page.getByRole('button', { name: 'Node', exact: true }).click();
  await expect(page.getByLabel(/^node node-3 /)).toBeVisible();
  await page.getByLabel(/^node node-3 /).click();
  await page.getByRole('button', { name: 'Pod', exact: true }).press('Enter');
  await expect(page.getByLabel('pod pod-1 10.244.2.2', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/^node node-3 /)).toBeVisible();
  await expect(page.getByLabel('pod pod-1 10.244.2.2', { exact: true })).toBeVisible();
});

test('imports a scenario file and exports one the CLI reads', async ({ page }) => {
  await page.goto('/');
  const yaml = [
    'apiVersion: podpath.dev/v1alpha1',
    'kind: Cluster',
    'metadata: {name: small}',
    'spec: {podCIDR: 10.50.0.0/16, nodeCIDRMaskSize: 24, serviceCIDR: 10.96.0.0/12, nodeNetwork: 192.168.56.0/24, cni: flannel-vxlan, kubeProxy: iptables}',
    '---',
    'apiVersion: v1',
    'kind: Node',
    'metadata: {name: alpha}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: solo, namespace: default, labels: {app: solo}}',
    'spec: {nodeName: alpha, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}',
  ].join('\n');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'small.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
  await expect(page.getByLabel('pod solo 10.50.0.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('CNI', { exact: true })).toHaveValue('flannel-vxlan');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const file = await download;
  const text = readFileSync(await file.path(), 'utf8');
  const { loadScenario } = await import('../src/sim/index.ts');
  const back = loadScenario(text);
  expect(back.ok).toBe(true);
  if (back.ok) expect(back.value.pods.map((p) => [p.name, p.podIP])).toEqual([['solo', '10.50.0.2']]);
});

test('undo and redo', async ({ page }) => {
  await page.goto('/');
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  const redo = page.getByRole('button', { name: 'Redo', exact: true });
  await expect(undo).toBeDisabled();
  await page.getByRole('button', { name: 'Service', exact: true }).click();
  await expect(page.getByLabel(/^service svc-1 /)).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('api');
  await page.getByLabel('Name', { exact: true }).press('Enter');
  await expect(page.getByLabel(/^service api /)).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused(); // a rename keeps the keyboard where it was
  await undo.click();
  await expect(page.getByLabel(/^service svc-1 /)).toBeVisible();
  await undo.click();
  await expect(page.getByLabel(/^service /)).toHaveCount(1);
  await redo.click();
  await expect(page.getByLabel(/^service svc-1 /)).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByLabel(/^service api /)).toBeVisible();
  // Delete key removes the selection; undo brings it back.
  await page.getByLabel('pod web-2 10.244.1.2', { exact: true }).click();
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^pod web-2 /)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByLabel('pod web-2 10.244.1.2', { exact: true })).toBeVisible();
});

test('a refused edit shows the reason next to it and keeps the cluster', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('pod web-1 10.244.0.3', { exact: true }).click();
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('web-2');
  await name.press('Enter');
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('alert')).toContainText('already exists');
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await shot(page, '07-refused-edit');
  // A refused port, then another pod: its own port shows, and the message stays behind.
  const port = page.getByLabel('containerPort 1', { exact: true });
  await port.fill('0');
  await port.press('Enter');
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('alert')).toContainText('containerPort');
  await port.fill('abc');
  await port.press('Enter');
  await expect(page.getByRole('region', { name: 'Inspector' }).getByRole('alert')).toHaveText('containerPort 1: "abc" is not a whole number');
  await port.fill('0');
  await page.getByLabel('pod web-2 10.244.1.2', { exact: true }).click();
  await expect(page.getByLabel('containerPort 1', { exact: true })).toHaveValue('8080');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('drags a pod to another node: a new pod with an address from that node', async ({ page }) => {
  await page.goto('/');
  const pod = page.getByLabel('pod web-1 10.244.0.3', { exact: true });
  await pod.dragTo(page.getByLabel(/^node node-2 /), { targetPosition: { x: 330, y: 150 } });
  await expect(page.getByLabel('pod web-1 10.244.1.3', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-2 10.244.1.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod client 10.244.0.2', { exact: true })).toBeVisible();
  const st = await saved(page);
  expect(st.scenario.pods.find((p) => p.name === 'web-1')?.nodeName).toBe('node-2');
});

test('picks the packet ends by clicking on the canvas', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pick on canvas' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'source' })).toBeVisible();
  await page.getByLabel('pod web-2 10.244.1.2', { exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'destination' })).toBeVisible();
  await page.getByLabel(/^service web /).click();
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('pod:default/web-2');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('svc:default/web');
  const st = await saved(page);
  await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));

  // The same by keyboard, with the external client as the source.
  await page.getByRole('button', { name: 'Pick on canvas' }).click();
  await page.getByLabel(/^external client /).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('external');
  await page.getByLabel('pod web-2 10.244.1.2', { exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('pod:default/web-2');
  await expect(page.getByRole('status').filter({ hasText: 'source' })).toHaveCount(0);
});

test('Run in Linux downloads the lab script for the cluster on screen', async ({ page }) => {
  await page.goto('/');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Run in Linux', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('podpath-lab.sh');
  const text = readFileSync(await file.path(), 'utf8');
  const st = await saved(page);
  const { labScript } = await import('../src/sim/lab/index.ts');
  expect(text).toBe(labScript(st.scenario, { source: 'the podpath playground' }));
  expect(text.startsWith('#!/usr/bin/env bash')).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'sudo bash podpath-lab.sh up' })).toBeVisible();
  await shot(page, '08-run-in-linux');
});

test('keyboard: arrows step the packet even with a node focused; Delete only from the canvas; a deleted end resets the packet', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  await expect.poll(() => currentHop(page)).toBe(0);
  const node1 = page.getByLabel(/^node node-1 /);
  // The gap between the nodes in the drawing's own units: the screen gap over the canvas's
  // zoom, read in one frame (the canvas may re-frame itself while the packet steps, which
  // moves both nodes on screen but nudges neither).
  const gap = () =>
    page.evaluate(() => {
      const box = (name: string) => document.querySelector(`[aria-label^="node ${name} "]`)!.getBoundingClientRect().x;
      const m = /scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform);
      return (box('node-2') - box('node-1')) / Number(m![1]);
    });
  await node1.click({ position: { x: 60, y: 20 } });
  await viewAtRest(page, 300);
  const before = await gap();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => currentHop(page)).toBe(2);
  expect(await gap()).toBeCloseTo(before, 0); // the node was not nudged

  // A click on an Inspector button, then Backspace: the pod stays.
  await page.getByLabel('pod web-1 10.244.0.3', { exact: true }).click();
  await page.getByRole('button', { name: 'Add port' }).click();
  await page.keyboard.press('Backspace');
  await expect(page.getByLabel(/^pod web-1 /)).toHaveCount(1);

  // Delete acts on the element with keyboard focus, not on an older selection.
  await page.getByLabel('pod web-1 10.244.0.3', { exact: true }).click();
  await page.getByLabel('pod client 10.244.0.2', { exact: true }).focus();
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^pod client /)).toHaveCount(0);
  await expect(page.locator('[data-canvas]')).toBeFocused(); // the keyboard stays on the canvas
  await expect(page.getByLabel(/^pod web-1 /)).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.getByLabel(/^pod client /)).toHaveCount(1);

  // Send packet by keyboard, then Space plays the walk.
  await page.getByRole('button', { name: 'Send packet' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');

  // Deleting the node that holds the destination: the packet resets, with a hint.
  await page.getByLabel(/^node node-2 /).click({ position: { x: 60, y: 20 } });
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^node node-2 /)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'source or destination is gone' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Hops' })).toHaveCount(0);
});

test('on a 1280×720 projector, the packet stays in view when the netns terminal takes the bottom of the canvas', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  // A view that moved in the last 1.5 s is taken for the person's, and the packet does
  // not pull it away (useFollowPacket): the first framing is over when it has been still that long.
  await viewAtRest(page, 1600);
  await page.getByLabel(/^node node-1 /).click({ position: { x: 60, y: 20 } });
  await expect(page.getByLabel('netns node-1')).toBeVisible();
  const st = await saved(page);
  const onSwitch = engineHops(st.scenario, st.request!).findIndex((h) => h.netns === 'node-network');
  expect(onSwitch).toBeGreaterThan(0);
  await viewAtRest(page, 1600); // the view may have moved for the terminal: again, a person who has let it be
  for (let i = 0; i < onSwitch; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => currentHop(page)).toBe(onSwitch);
  // The packet has glided to the switch, and the view has followed it.
  await packetAtRest(page);
  await viewAtRest(page);
  const packet = (await page.getByTestId('packet').boundingBox())!;
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  expect(packet.y).toBeGreaterThanOrEqual(canvas.y);
  expect(packet.y + packet.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  expect(packet.x).toBeGreaterThanOrEqual(canvas.x);
  expect(packet.x + packet.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  await shot(page, '09-projector-follow');
});
