// Traffic policy Local as a person sets it: the Service's Inspector offers both
// policies with a line on what each does, and a packet from outside to a NodePort
// then keeps the client's address (no SNAT hop) and may only reach that node's pod.
import type { Page } from '@playwright/test';
import { engineTrace, expect, hopText, listedHops, packetAtRest, saved, SHOTS, test } from './fixtures.ts';

/** Select Service web and make it a NodePort in its Inspector; the Inspector. */
async function webAsNodePort(page: Page) {
  const inspector = page.getByRole('region', { name: 'Inspector' });
  // A click in the first moments after load can land before the canvas takes clicks (seen under CI's load): click until it selects.
  await expect(async () => {
    await page.getByLabel(/^service web /).click();
    await expect(inspector.getByRole('heading', { name: 'service web' })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await inspector.getByLabel(/^Type/).selectOption('NodePort');
  return inspector;
}

/** The demo at 1280×720 under Cilium with its kube-proxy replacement (socket-LB), saved. */
async function ciliumWithSocketLb(page: Page) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByLabel('CNI', { exact: true }).selectOption('cilium');
  await page.getByLabel('Cilium kubeProxyReplacement', { exact: true }).selectOption('true');
  await expect.poll(async () => (await saved(page)).scenario.cluster.cilium?.kubeProxyReplacement).toBe(true);
}

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`externalTrafficPolicy Local from the Inspector: the NodePort keeps the client's address (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const inspector = await webAsNodePort(page);
    const external = inspector.getByLabel('External traffic policy');
    await expect(external).toHaveValue('Cluster');
    await expect(external).toHaveAccessibleDescription(/source rewritten to the node/);

    // From outside to node-1's NodePort: under Cluster, masqueraded on the way.
    await page.getByRole('button', { name: 'Send packet' }).click();
    await page.getByLabel('From', { exact: true }).selectOption({ label: 'external client' });
    await page.getByLabel('To', { exact: true }).selectOption('node:node-1');
    let st = await saved(page);
    const nodePort = st.scenario.services[0].ports[0].nodePort!;
    await expect(page.getByLabel('Port', { exact: true })).toHaveValue(String(nodePort));
    st = await saved(page);
    const before = engineTrace(st.scenario, st.request!);
    expect(before.verdict).toBe('delivered');
    expect(before.hops.some((h) => h.action === 'snat')).toBe(true);

    // Local: the walk changes as the engine says, and the page lists the same hops.
    // The view follows the packet (here to the external client), which can take the Service
    // under the toolbar at 1280×720: frame the cluster, then select the Service.
    await expect(async () => {
      await page.getByRole('button', { name: /fit view/i }).click();
      await page.getByLabel(/^service web /).click({ timeout: 2000 });
      await expect(external).toBeVisible({ timeout: 1000 });
    }).toPass();
    await external.selectOption('Local');
    await expect(external).toHaveAccessibleDescription(/keeping the client's address/);
    await expect.poll(async () => (await saved(page)).scenario.services[0].externalTrafficPolicy).toBe('Local');
    st = await saved(page);
    const after = engineTrace(st.scenario, st.request!);
    expect(after.verdict).toBe('delivered');
    expect(after.hops.some((h) => h.action === 'snat')).toBe(false);
    expect(after.candidates).toEqual(['default/web-1']);
    await expect.poll(() => listedHops(page)).toEqual(after.hops.map(hopText));
    const dnat = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(after.hops.findIndex((h) => h.action === 'dnat'));
    await dnat.click();
    await expect(dnat).toContainText("the pod will see the client's own address");
    await page.screenshot({ path: `${SHOTS}/traffic-policy-local-${viewport.width}x${viewport.height}.png` });
  });
}

test("Cilium with socket-LB: a NodePort from outside with externalTrafficPolicy Local is nodeport_lb4's at eth0 (DNAT, no SNAT), and a node without a backend refuses it with ICMP", async ({ page }) => {
  await ciliumWithSocketLb(page);
  const inspector = await webAsNodePort(page);
  await inspector.getByLabel('External traffic policy').selectOption('Local');
  await expect.poll(async () => (await saved(page)).scenario.services[0].externalTrafficPolicy).toBe('Local');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('From', { exact: true }).selectOption({ label: 'external client' });

  // node-1 holds web-1: delivered, the pod sees the client; the hop list is the engine's.
  await page.getByLabel('To', { exact: true }).selectOption('node:node-1');
  let st = await saved(page);
  const local = engineTrace(st.scenario, st.request!);
  expect(local.verdict).toBe('delivered');
  expect(local.hops.some((h) => h.action === 'snat' || h.action === 'dnat')).toBe(false);
  const dnatAt = local.hops.findIndex((h) => h.ebpf?.decision === 'nodeport-dnat');
  expect(dnatAt).toBeGreaterThan(0);
  await expect.poll(() => listedHops(page)).toEqual(local.hops.map(hopText));
  const dnat = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(dnatAt);
  await dnat.click();
  await expect(dnat).toContainText('nodeport_lb4');
  await expect(dnat).toContainText('no SNAT');
  await packetAtRest(page);
  await page.screenshot({ path: `${SHOTS}/cilium-nodeport-local-1280x720.png` });

  // A node without a backend of the Service (web-2 deleted from node-2): refused by the program's ICMP port unreachable.
  await page.getByLabel(/^pod web-2 /).click();
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^pod web-2 /)).toHaveCount(0);
  await page.getByLabel('To', { exact: true }).selectOption('node:node-2');
  await expect.poll(async () => (await saved(page)).request?.to).toMatchObject({ name: 'node-2' });
  st = await saved(page);
  const none = engineTrace(st.scenario, st.request!);
  expect([none.verdict, none.code]).toEqual(['refused', 'no-service-reject']);
  await expect.poll(() => listedHops(page)).toEqual(none.hops.map(hopText));
  const refusal = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last();
  await expect(refusal).toContainText('ICMP port unreachable');
  await refusal.click();
  await packetAtRest(page);
  await page.screenshot({ path: `${SHOTS}/cilium-nodeport-no-backend-1280x720.png` });
});

test("Cilium with socket-LB: a NodePort from outside with externalTrafficPolicy Cluster reaches a backend on another node by DNAT and SNAT in cil_from_netdev, and the reply is turned back in cil_from_overlay", async ({ page }) => {
  await ciliumWithSocketLb(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await webAsNodePort(page);
  // web-1 deleted: node-1 has no backend of its own, so its frontend's pick is web-2, on node-2.
  await page.getByLabel(/^pod web-1 /).click();
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^pod web-1 /)).toHaveCount(0);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('From', { exact: true }).selectOption({ label: 'external client' });
  await page.getByLabel('To', { exact: true }).selectOption('node:node-1');
  await expect.poll(async () => (await saved(page)).request?.to).toMatchObject({ name: 'node-1' });
  const st = await saved(page);
  expect(st.scenario.services[0].externalTrafficPolicy ?? 'Cluster').toBe('Cluster');
  const t = engineTrace(st.scenario, st.request!);
  expect([t.verdict, t.endpoint]).toEqual(['delivered', 'default/web-2']);
  await expect.poll(() => listedHops(page)).toEqual(t.hops.map(hopText));
  const at = t.hops.findIndex((h) => h.ebpf?.decision === 'nodeport-snat');
  expect(at).toBeGreaterThan(0);
  const snat = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(at);
  await snat.click();
  await expect(snat).toContainText('tail_nodeport_nat_egress_ipv4');
  await expect(snat).toContainText("cilium_host address (IPV4_GATEWAY");
  // The pod sees node-1's cilium_host address, not the client's.
  expect(t.hops.find((h) => h.action === 'deliver')!.packet.src).toMatch(/^10\.244\.0\.1:/);
  const rev = t.reply.find((h) => h.ebpf?.decision === 'rev-nat')!;
  expect([rev.netns, rev.ebpf!.program]).toEqual(['node-1', 'cil_from_overlay']);
  await packetAtRest(page);
  await page.screenshot({ path: `${SHOTS}/cilium-nodeport-cluster-1920x1080.png` });
});

test("Cilium with socket-LB: internalTrafficPolicy Local from the Inspector connects to the sender's node's backend only, and without one connect() fails at once", async ({ page }) => {
  await ciliumWithSocketLb(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(async () => {
    await page.getByLabel(/^service web /).click();
    await expect(inspector.getByRole('heading', { name: 'service web' })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await inspector.getByLabel('Internal traffic policy').selectOption('Local');
  await expect.poll(async () => (await saved(page)).scenario.services[0].internalTrafficPolicy).toBe('Local');

  // The client on node-1 to the web Service: socket-LB gives it web-1 (node-1's), never web-2.
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect.poll(async () => (await saved(page)).request?.to).toMatchObject({ kind: 'service', name: 'web' });
  let st = await saved(page);
  const local = engineTrace(st.scenario, st.request!);
  expect([local.verdict, local.endpoint, local.candidates]).toEqual(['delivered', 'default/web-1', ['default/web-1']]);
  await expect.poll(() => listedHops(page)).toEqual(local.hops.map(hopText));
  const pick = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(1);
  await pick.click();
  await expect(pick).toContainText('internalTrafficPolicy Local');

  // web-1 deleted: node-1 has no backend of the Service, so the connect fails in the socket, no packet sent.
  await page.getByLabel(/^pod web-1 /).click();
  await page.keyboard.press('Delete');
  await expect(page.getByLabel(/^pod web-1 /)).toHaveCount(0);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect.poll(async () => (await saved(page)).scenario.pods.some((p) => p.name === 'web-1')).toBe(false);
  st = await saved(page);
  const none = engineTrace(st.scenario, st.request!);
  expect([none.verdict, none.code]).toEqual(['dropped', 'no-local-endpoints']);
  await expect.poll(() => listedHops(page)).toEqual(none.hops.map(hopText));
  const drop = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last();
  await drop.click();
  await expect(drop).toContainText('No route to host');
  await packetAtRest(page);
  await page.screenshot({ path: `${SHOTS}/cilium-internal-local-no-backend-1280x720.png` });
});
