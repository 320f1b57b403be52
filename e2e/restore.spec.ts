// What the browser saved, opened as a person sees it: a save that cannot be read
// opens the demo with the reason in words and the text offered for download exactly
// as it was; an old save is read by the scenario parser and IPAM like any import.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { engineHops, expect, hopText, listedHops, saved, shot, test, verdict } from './fixtures.ts';
import { parseScenario } from '../src/sim/index.ts';

/** Put a save in the browser's storage before the page first loads (not again on reload). */
async function seed(page: Page, text: string) {
  await page.addInitScript((t) => {
    if (sessionStorage.getItem('podpath-e2e-seeded')) return;
    localStorage.setItem('podpath', t);
    sessionStorage.setItem('podpath-e2e-seeded', '1');
  }, text);
}

const banner = (page: Page) => page.getByRole('alert', { name: 'Your saved playground could not be opened' });

/** A save cut short (a full disk, a crash mid-write), with a non-ASCII character to prove the copy is exact. */
const CORRUPTED =
  '{"format":"podpath-playground","version":2,"scenario":[{"apiVersion":"podpath.dev/v1alpha1","kind":"Cluster","metadata":{"name":"cluster"},"spec":{"podCIDR":"10.244.0.0/16","nodeCIDRMaskSize":24,"serviceCIDR":"10.96.0.0/12","nodeNetwork":"192.168.56.0/24","cni":"bridge-hostgw","kubeProxy":"iptables"}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"café-node","labels":{"kuber';

/** What podpath 0.1 wrote: zustand's persist envelope (version 1) around the cluster object. */
function version1(cni: string): string {
  const demo = parseScenario(readFileSync(new URL('../public/scenarios/demo.yaml', import.meta.url), 'utf8'));
  if (!demo.ok) throw new Error('demo.yaml');
  // No addresses at all: no pod IPs, no node podCIDRs.
  const scenario = { ...demo.value, cluster: { ...demo.value.cluster, cni } };
  return JSON.stringify({ state: { scenario, positions: {}, request: null, showReply: false, speed: 1.5 }, version: 1 });
}

test('a corrupted save opens the demo, says why, and downloads exactly what was saved; it stays until discarded', async ({ page }) => {
  await seed(page, CORRUPTED);
  await page.goto('/');
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText('The saved text is not complete JSON: it may have been cut short, or edited by hand. The demo cluster is open instead.');
  await expect(banner(page)).toContainText('The saved text is kept in this browser until you download or discard it.');
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await shot(page, 'restore-01-unreadable-save');

  const download = page.waitForEvent('download');
  await banner(page).getByRole('button', { name: 'Download saved text' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('podpath-unreadable-save.txt');
  expect(readFileSync(await file.path(), 'utf8')).toBe(CORRUPTED);
  await expect(banner(page)).toContainText('Downloaded as podpath-unreadable-save.txt.');

  // Kept under its own key; the page saves the demo it opened in its place.
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('podpath-unreadable')!)[0].text)).toBe(CORRUPTED);
  expect((await saved(page)).scenario.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);

  // Not let go of by a reload, only by the person.
  await page.reload();
  await expect(banner(page)).toBeVisible();
  await banner(page).getByRole('button', { name: 'Discard it' }).click();
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('podpath-unreadable'))).toBeNull();
  await page.reload();
  await expect(page.getByLabel('pod web-1 10.244.0.3', { exact: true })).toBeVisible();
  await expect(banner(page)).toHaveCount(0);
});

test('an old save with a CNI podpath does not model is refused with the reason', async ({ page }) => {
  const text = version1('weave');
  await seed(page, text);
  await page.goto('/');
  await expect(banner(page)).toContainText('Its cluster does not read as a scenario: Cluster/cluster spec.cni: must be one of bridge-hostgw, flannel-vxlan, vpc, calico, cilium, got "weave".');
  await expect(page.getByLabel('CNI', { exact: true })).toHaveValue('bridge-hostgw');
  const download = page.waitForEvent('download');
  await banner(page).getByRole('button', { name: 'Download saved text' }).click();
  expect(readFileSync(await (await download).path(), 'utf8')).toBe(text);
});

test('an old save without pod IPs opens with addresses from IPAM, and Send packet walks it', async ({ page }) => {
  await seed(page, version1('flannel-vxlan'));
  await page.goto('/');
  await expect(page.getByLabel('pod client 10.244.0.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('pod web-2 10.244.1.2', { exact: true })).toBeVisible();
  await expect(page.getByLabel('CNI', { exact: true })).toHaveValue('flannel-vxlan');
  await expect(banner(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-2');
  const st = await saved(page);
  await expect.poll(() => listedHops(page)).toEqual(engineHops(st.scenario, st.request!).map(hopText));
  await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().click();
  await expect(verdict(page)).toContainText('delivered');
  await expect(page.locator('body')).not.toContainText('internal');
});

test('a Service given a second port in the Inspector is still there after a reload (its ports get the names Kubernetes requires)', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel(/^service web /).click();
  await page.getByRole('region', { name: 'Inspector' }).getByRole('button', { name: 'Add port' }).click();
  await expect(page.getByLabel('port 2', { exact: true })).toHaveValue('81');
  expect((await saved(page)).scenario.services[0].ports.map((p) => [p.name, p.port])).toEqual([
    ['http', 80],
    ['port-1', 81],
  ]);
  await page.reload();
  await expect(banner(page)).toHaveCount(0);
  await expect(page.getByLabel(/^service web /)).toContainText(':81→8080');
});
