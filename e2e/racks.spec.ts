// Racks: a cluster whose nodes sit on two networks. The canvas draws each network as its
// own bar with a router joining them (not one segment), and the walk's hops are the
// engine's: under flannel's host-gw the packet to the other rack is lost at the router,
// and the hop that took the default route says why.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { engineHops, expect, hopTextWith, listedHops, saved, shot, test } from './fixtures.ts';

const RACKS = readFileSync(new URL('../public/scenarios/racks.yaml', import.meta.url), 'utf8');

/** racks.yaml imported at this size, its second network drawn. */
async function racks(page: Page, size: { width: number; height: number }) {
  await page.setViewportSize(size);
  await page.goto('/');
  await page.getByLabel('Scenario file').setInputFiles({ name: 'racks.yaml', mimeType: 'application/yaml', buffer: Buffer.from(RACKS) });
  await expect(page.getByLabel(/node network 192\.168\.57\.0\/24 \(rack 2\)/)).toBeVisible();
}

/** The walk to web-3 (on the other rack) as the page lists it, which must be the engine's. */
async function walkToWeb3(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Send packet' }).click();
  await page.getByLabel('To', { exact: true }).selectOption('pod:default/web-3');
  const st = await saved(page);
  const want = engineHops(st.scenario, st.request!).map(hopTextWith('node network'));
  await expect.poll(() => listedHops(page)).toEqual(want);
  return want;
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`racks at ${size.width}×${size.height}: two node networks and a router; host-gw's packet to the other rack is lost there, saying why`, async ({ page }) => {
    await racks(page, size);
    await expect(page.getByRole('group', { name: /router joining the node networks 192\.168\.56\.0\/24, 192\.168\.57\.0\/24/ }).or(page.getByLabel(/router joining the node networks/))).toBeVisible();
    const want = await walkToWeb3(page);
    expect(want.some((h) => h.includes('is on another rack\'s network, not on-link here'))).toBe(true);
    expect(want[want.length - 1]).toContain('the router joining the node networks has no route to');
    await shot(page, `racks-${size.width}`);
  });
}

test("racks under Calico without encapsulation: BIRD's route to the other rack goes via the router (next hop resolved recursively), and the router, which learns no block, drops the packet", async ({ page }) => {
  await racks(page, { width: 1920, height: 1080 });
  await page.getByLabel('CNI', { exact: true }).selectOption('calico');
  await page.getByLabel('Calico encapsulation').selectOption({ label: 'BGP, no tunnel' });
  await expect.poll(async () => (await saved(page)).scenario.cluster.calico).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Never' });
  const want = await walkToWeb3(page);
  expect(want.some((h) => h.includes('gateway recursive'))).toBe(true);
  expect(want[want.length - 1]).toContain('the router joining the node networks has no route to');
  await shot(page, 'racks-calico-bgp-1920');
});
