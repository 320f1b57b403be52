// Every datapath a person can pick, on the demo cluster with a packet in flight: each
// CNI the selector offers, then each kube-proxy mode, keeps the cluster (the same pods
// and Services), re-traces the same request, and lists exactly the hops the engine
// gives for that mode; and the hop lists differ between modes as the engine's do.
import type { Page } from '@playwright/test';
import { engineHops, engineTrace, expect, hopTextWith, listedHops, saved, test } from './fixtures.ts';

/** The values a select offers (not the disabled ones, which say why they are not offered). */
const offered = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).locator('option:not([disabled])').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));

/** What the listed hops must be: the engine's for the page's own cluster and request (the VPC fabric is named so on the canvas). */
async function expectEngineHops(page: Page): Promise<string[]> {
  const st = await saved(page);
  const hops = engineHops(st.scenario, st.request!).map(hopTextWith(st.scenario.cluster.cni === 'vpc' ? 'VPC fabric' : 'node network'));
  await expect.poll(() => listedHops(page)).toEqual(hops);
  return hops;
}

test('every CNI and every kube-proxy mode: the cluster is kept, the packet re-traced, and the hops are the engine\'s for that mode', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  // To a pod on the other node: each CNI carries it across its own way.
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  const before = await saved(page);
  const keep = (s: typeof before.scenario) => ({ pods: s.pods.map((p) => `${p.namespace}/${p.name}`), services: s.services.map((v) => `${v.namespace}/${v.name}`) });

  const cnis = await offered(page, 'CNI');
  expect(cnis.length).toBeGreaterThanOrEqual(3);
  const byCni = new Map<string, string[]>();
  for (const cni of cnis) {
    await page.getByLabel('CNI', { exact: true }).selectOption(cni);
    await expect.poll(async () => (await saved(page)).scenario.cluster.cni).toBe(cni);
    const st = await saved(page);
    expect(keep(st.scenario)).toEqual(keep(before.scenario));
    expect(st.request).toEqual(before.request);
    byCni.set(cni, await expectEngineHops(page));
  }
  // Each CNI's walk is its own: no two give the same hop list.
  expect(new Set([...byCni.values()].map((h) => h.join('\n'))).size).toBe(cnis.length);

  // To the Service: each kube-proxy mode rewrites it with its own rules (on the first CNI: Cilium's replacement is tested below).
  await page.getByLabel('CNI', { exact: true }).selectOption(cnis[0]);
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  const modes = await offered(page, 'kube-proxy');
  expect(modes.length).toBeGreaterThanOrEqual(2);
  const byMode = new Map<string, string[]>();
  for (const mode of modes) {
    await page.getByLabel('kube-proxy', { exact: true }).selectOption(mode);
    await expect.poll(async () => (await saved(page)).scenario.cluster.kubeProxy).toBe(mode);
    byMode.set(mode, await expectEngineHops(page));
  }
  // The Service's DNAT is written by each mode's own rules, so the hop that says it differs.
  expect(new Set([...byMode.values()].map((h) => h.join('\n'))).size).toBe(modes.length);
});

test("Cilium: its setting beside the CNI; with socket-LB the kube-proxy selector is off and the Service's first hop is the rewritten connect, the engine's", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('CNI', { exact: true }).selectOption('cilium');
  const setting = page.getByLabel('Cilium kubeProxyReplacement', { exact: true });
  await expect(setting).toHaveValue('false');
  await expect(page.getByLabel('kube-proxy', { exact: true })).toBeEnabled();
  await setting.selectOption('true');
  await expect.poll(async () => (await saved(page)).scenario.cluster.cilium?.kubeProxyReplacement).toBe(true);
  await expect(page.getByLabel('kube-proxy', { exact: true })).toBeDisabled();
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  const hops = await expectEngineHops(page);
  expect(hops.some((h) => h.includes('cil_sock4_connect'))).toBe(true);
  expect(hops.some((h) => h.split('|')[1] === 'dnat' || h.includes('KUBE-SVC'))).toBe(false);
  await page.screenshot({ path: '/tmp/podpath-shots/cilium-socket-lb-1280.png' });
});

test("Cilium without socket-LB: a pod's packet to the Service is DNATed per packet in cil_from_container, no kube-proxy rule on its walk, and the reply comes back from the ClusterIP", async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('CNI', { exact: true }).selectOption('cilium');
  await expect(page.getByLabel('Cilium kubeProxyReplacement', { exact: true })).toHaveValue('false');
  await page.getByLabel('To', { exact: true }).selectOption('svc:default/web');
  await expect.poll(async () => (await saved(page)).request?.to).toMatchObject({ kind: 'service', name: 'web' });
  const hops = await expectEngineHops(page);
  expect(hops.some((h) => h.includes('__per_packet_lb_svc_xlate_4'))).toBe(true);
  expect(hops.some((h) => h.split('|')[1] === 'dnat' || h.includes('KUBE-SVC'))).toBe(false);
  const st = await saved(page);
  const reply = engineTrace(st.scenario, st.request!).reply;
  expect(reply.at(-1)!.packet.src).toBe(`${st.scenario.services.find((v) => v.name === 'web')!.clusterIP}:80`);
  const at = hops.findIndex((h) => h.includes('__per_packet_lb_svc_xlate_4'));
  const hop = page.getByRole('list', { name: 'Hops' }).getByRole('listitem').nth(at);
  await hop.click();
  await expect(hop).toContainText('rev_nat_index');
  await page.screenshot({ path: '/tmp/podpath-shots/cilium-per-packet-lb-1920.png' });
});
